/**
 * Conversation state across instances, against a real redis-server (no mocks): a call started on one
 * instance and continued on another, TTL expiry, and a Redis outage with its recovery.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import type { RedisServer, TestRedis } from '../helpers/redis-server';
import { requireRedis, startRedisServer, useTestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const MESSAGE = 'Your dental appointment is tomorrow at 10 AM';
const START = '/apps/appointment-reminder/start';
const CONFIRM = '/apps/appointment-reminder/on/confirm';

/** A fresh session id, so tests sharing REDIS_TEST_URL never meet each other's keys. */
const newSessionId = () => randomBytes(16).toString('hex');

function confirmSession(sessionId: string) {
  const body = fixture<{ session: { id: string } }>('requests/reminder-confirm-session.json');
  body.session.id = sessionId;
  return body;
}

function pressed1(sessionId: string) {
  const body = fixture<{ result: { sessionId: string } }>('requests/confirm-pressed-1-result.json');
  body.result.sessionId = sessionId;
  return body;
}

async function ready(t: TestApp): Promise<void> {
  await waitFor(() => t.state.health().ready, 'the instance to reach Redis');
}

describe('two instances sharing one Redis', () => {
  requireRedis();
  let redis: TestRedis;
  const open: TestApp[] = [];

  beforeAll(async () => {
    redis = await useTestRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await redis.release();
  });

  function instance(env: Record<string, string> = {}): TestApp {
    const t = buildTestApp({ REDIS_URL: redis.url, ...env });
    open.push(t);
    return t;
  }

  it('when a reminder starts on A and the callee confirms on B, then B repeats the message and the state goes', async () => {
    const a = instance();
    const b = instance();
    await Promise.all([ready(a), ready(b)]);
    expect(a.state.backend).toBe('redis');
    const id = newSessionId();

    const started = await request(a.app).post(START).send(confirmSession(id));
    expect(started.status).toBe(200);
    expect(JSON.stringify(started.body)).toContain('Press 1 to confirm');
    expect(await b.state.get(id)).toEqual({ appointment: { msg: MESSAGE, voice: 'kate' } });

    const confirmed = await request(b.app).post(CONFIRM).send(pressed1(id));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.tropo[0].say[0]).toEqual({
      value: `${MESSAGE}. Your appointment is confirmed. Goodbye.`,
      voice: 'kate',
    });
    expect(confirmed.headers['x-error-id']).toBeUndefined();
    expect(await a.state.get(id)).toBeUndefined();
  });

  it('when STATE_TTL_SECONDS=1 passes before the answer, then the confirm handler finds nothing and still answers safely', async () => {
    const a = instance({ STATE_TTL_SECONDS: '1' });
    const b = instance({ STATE_TTL_SECONDS: '1' });
    await Promise.all([ready(a), ready(b)]);
    const id = newSessionId();

    await request(a.app).post(START).send(confirmSession(id)).expect(200);
    expect(await b.state.get(id)).toBeDefined();
    await waitFor(
      async () => (await b.state.get(id)) === undefined,
      'Redis to expire it',
      4_000,
      50,
    );

    const res = await request(b.app).post(CONFIRM).send(pressed1(id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tropo: [{ say: [{ value: 'Your appointment is confirmed. Goodbye.' }] }, { hangup: {} }],
    });
    expect(res.headers['x-error-id']).toBeUndefined();
    expect(b.logs().filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('one instance while Redis dies and comes back', () => {
  requireRedis('binary');
  let server: RedisServer;
  let t: TestApp | undefined;

  beforeAll(async () => {
    // This test kills Redis, so it always runs a private server, never REDIS_TEST_URL's.
    server = await startRedisServer();
  });
  afterAll(async () => {
    await t?.close();
    await server.dispose();
  });

  it('when Redis is killed, then readyz is 503 with the reason, healthz 200, state calls get the fallback logged once; when it returns, the server recovers by itself', async () => {
    const app = buildTestApp({ REDIS_URL: server.url });
    t = app;
    await ready(app);
    await request(app.app).get('/readyz').expect(200, { ready: true, reasons: [] });
    const before = newSessionId();
    await request(app.app).post(START).send(confirmSession(before)).expect(200);

    await server.kill();
    await waitFor(async () => (await request(app.app).get('/readyz')).status === 503, 'readyz 503');
    const readyz = await request(app.app).get('/readyz');
    expect(readyz.headers['content-type']).toMatch(/^application\/json/);
    expect(readyz.body.ready).toBe(false);
    expect(readyz.body.reasons).toEqual([expect.stringMatching(/^redis unavailable: \S/)]);
    expect(JSON.stringify(readyz.body)).not.toContain('redis://');
    await request(app.app).get('/healthz').expect(200, { status: 'ok' });

    const answers = [
      await request(app.app).post(START).send(confirmSession(newSessionId())),
      await request(app.app).post(START).send(confirmSession(newSessionId())),
      await request(app.app).post(CONFIRM).send(pressed1(before)),
    ];
    // A Session API launch has no call yet: its fallback only ends the session; the callee hears the apology.
    const spoken = {
      tropo: [{ say: [{ value: app.config.fallback.voiceMessage }] }, { hangup: {} }],
    };
    expect(answers.map((res) => res.body)).toEqual([
      { tropo: [{ hangup: {} }] },
      { tropo: [{ hangup: {} }] },
      spoken,
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers['x-error-id']).toMatch(/^[0-9a-f]{12}$/);
    }
    const logs = app.logs();
    const failures = logs.filter((l) => l.code === 'STATE_UNAVAILABLE' && l.msg !== 'request');
    expect(failures.map((l) => l.level)).toEqual(['error', 'debug', 'debug']);
    expect(failures[0]).toMatchObject({
      app: 'appointment-reminder',
      err: { type: 'StateUnavailableError' },
    });
    const requests = logs.filter((l) => l.msg === 'request' && l.code === 'STATE_UNAVAILABLE');
    expect(requests.map((l) => l.errorId)).toEqual(answers.map((r) => r.headers['x-error-id']));
    expect(logs.filter((l) => l.msg === 'state store: redis down')).toHaveLength(1);

    await server.start();
    await waitFor(
      async () => (await request(app.app).get('/readyz')).status === 200,
      'readyz 200 again',
      10_000,
      50,
    );
    const id = newSessionId();
    await request(app.app).post(START).send(confirmSession(id)).expect(200);
    const confirmed = await request(app.app).post(CONFIRM).send(pressed1(id));
    expect(JSON.stringify(confirmed.body)).toContain(`${MESSAGE}. Your appointment is confirmed.`);

    const after = app.logs();
    expect(after.filter((l) => l.msg === 'state store: redis back')).toHaveLength(1);
    expect(after.filter((l) => /the state outage is over/.test(String(l.msg)))).toEqual([
      expect.objectContaining({ level: 'info', failedCalls: 3 }),
    ]);
    expect(after.filter((l) => l.level === 'error')).toHaveLength(1);
  }, 30_000);
});
