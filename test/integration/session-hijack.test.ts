/**
 * Tests that a session cannot be hijacked by its id (issue 16, item 2): with the webhook key and a
 * live victim's session id, a start is refused (409) without touching the victim's state, no
 * signature for the victim's continuations can be had, and a result posted into the victim's flow
 * is refused — with the memory store and with Redis.
 */
import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createMemoryStore, type StateStore } from '../../src/state';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import { useTestRedis, type TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const SECRET = 'hijack-test-webhook-secret-0123456789';
const KEY = `key=${encodeURIComponent(SECRET)}`;

type Doc = { tropo: Record<string, { event?: string; next?: string }>[] };
type SessionBody = { session: { id: string; parameters: Record<string, string> } };
type ResultBody = { result: { sessionId: string } };

/** The `next` URL of the document's `on` handler for `event`. */
function nextOf(doc: Doc, event: string): string {
  const next = doc.tropo.map((verb) => verb.on).find((o) => o?.event === event)?.next;
  if (next === undefined) throw new Error(`no on ${event} with a next URL`);
  return next;
}

/** The signature the server wrote before this fix: an HMAC of app, handler and session id only. */
function sessionIdOnlySig(app: string, handler: string, sessionId: string): string {
  const key = createHmac('sha256', SECRET).update('tropo-app-server continuation v1').digest();
  return createHmac('sha256', key)
    .update(JSON.stringify([app, handler, sessionId]))
    .digest('base64url');
}

describe.each([
  ['memory', false],
  ['redis', true],
])('a live session cannot be hijacked by its id (%s store)', (_store, useRedis) => {
  let redis: TestRedis | undefined;
  let t: TestApp;
  let victimId: string;
  let victim: SessionBody;

  beforeAll(async () => {
    if (useRedis) redis = await useTestRedis();
  });
  afterAll(async () => {
    await redis?.release();
  });
  beforeEach(async () => {
    t = buildTestApp({
      WEBHOOK_SECRET: SECRET,
      TROPO_TOKEN: 'tropo-token-for-hijack-tests',
      ...(redis ? { REDIS_URL: redis.url } : {}),
    });
    // A fresh id per test: a shared Redis keeps what earlier tests claimed.
    victimId = randomUUID().replaceAll('-', '');
    victim = fixture<SessionBody>('requests/reminder-confirm-session.json');
    victim.session.id = victimId;
    await waitFor(() => t.state.health().ready, 'the state store to connect');
  });
  afterEach(() => t.close());

  /** The victim's session starts; the answer holds its signed confirm URL. */
  async function startVictim(): Promise<string> {
    const res = await request(t.app)
      .post(`/apps/appointment-reminder/start?${KEY}`)
      .send(victim)
      .expect(200);
    return nextOf(res.body as Doc, 'continue');
  }

  function resultFor(sessionId: string): ResultBody {
    const body = fixture<ResultBody>('requests/confirm-pressed-1-result.json');
    body.result.sessionId = sessionId;
    return body;
  }

  it('when an attacker starts the live session again, then 409 JSON, a warn line, and the victim hears their own text', async () => {
    const victimNext = await startVictim();
    const attack: SessionBody = structuredClone(victim);
    attack.session.parameters.msg = 'Call 555 0199 now to keep your appointment';

    const res = await request(t.app).post(`/apps/appointment-reminder/start?${KEY}`).send(attack);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.error.code).toBe('SESSION_ALREADY_STARTED');
    expect(res.text).not.toContain('sig=');
    expect(t.logs()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        code: 'SESSION_ALREADY_STARTED',
        sessionId: victimId,
      }),
    );

    const confirmed = await request(t.app).post(victimNext).send(resultFor(victimId)).expect(200);
    expect(confirmed.text).toContain('Your dental appointment is tomorrow at 10 AM');
    expect(confirmed.text).not.toContain('555 0199');
  });

  it('when an attacker posts a result into the live flow with a signature of their own making, then 403', async () => {
    await startVictim();
    // Knowing the id and the webhook key: the signature the server used to accept.
    const forged = sessionIdOnlySig('appointment-reminder', 'confirm', victimId);
    const res = await request(t.app)
      .post(`/apps/appointment-reminder/on/confirm?${KEY}&sig=${forged}`)
      .send(resultFor(victimId));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WEBHOOK_BAD_SIGNATURE');
  });

  it("when an attacker's own session's URL is used for the victim's result, then 403", async () => {
    await startVictim();
    const own: SessionBody = structuredClone(victim);
    own.session.id = randomUUID().replaceAll('-', '');
    const started = await request(t.app)
      .post(`/apps/appointment-reminder/start?${KEY}`)
      .send(own)
      .expect(200);
    const res = await request(t.app)
      .post(nextOf(started.body as Doc, 'continue'))
      .send(resultFor(victimId));
    expect(res.status).toBe(403);
  });

  it('when the session has ended, then its URLs verify no more and its state and key are gone', async () => {
    const next = await startVictim();
    await request(t.app).post(next).send(resultFor(victimId)).expect(200);
    // The confirm answer ends the session: its record (state and key) is deleted without delay.
    for (let i = 0; i < 50 && (await t.state.get(victimId)) !== undefined; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await t.state.get(victimId)).toBeUndefined();
    const replay = await request(t.app).post(next).send(resultFor(victimId));
    expect(replay.status).toBe(403);
  });

  it('when a start fails its parameter check, then nothing is claimed and the session may still start', async () => {
    const bad: SessionBody = structuredClone(victim);
    bad.session.parameters.numberToDial = 'not a number';
    const refused = await request(t.app)
      .post(`/apps/appointment-reminder/start?${KEY}`)
      .send(bad)
      .expect(200);
    expect(refused.text).not.toContain('sig=');
    expect(await t.state.get(victimId)).toBeUndefined();
    await startVictim();
  });

  it('when a session starts, then its key is kept with its state and never logged', async () => {
    await startVictim();
    const stored = await t.state.get(victimId);
    expect(stored).toBeDefined();
    const key = Object.values(stored ?? {}).find(
      (v) => typeof v === 'string' && /^[\w-]{22}$/.test(v),
    );
    expect(key).toBeDefined();
    expect(t.rawLogs()).not.toContain(key as string);
  });
});

describe('without WEBHOOK_SECRET', () => {
  it('when a session is started, then nothing is claimed (no store call) and next URLs are unsigned', async () => {
    const inner = createMemoryStore({ sweepIntervalMs: 0 });
    let calls = 0;
    const counted: StateStore = {
      backend: inner.backend,
      ttlSeconds: inner.ttlSeconds,
      get: (id) => ((calls += 1), inner.get(id)),
      set: (id, value, ttl) => ((calls += 1), inner.set(id, value, ttl)),
      claim: (id, value, ttl) => ((calls += 1), inner.claim(id, value, ttl)),
      delete: (id) => ((calls += 1), inner.delete(id)),
      health: () => inner.health(),
      close: () => inner.close(),
    };
    const t = buildTestApp({}, { state: counted });
    try {
      const res = await request(t.app)
        .post('/apps/ivr-menu/start')
        .send(fixture('requests/inbound-voice-session.json'))
        .expect(200);
      expect(nextOf(res.body as Doc, 'continue')).toBe('/apps/ivr-menu/on/choice');
      expect(calls).toBe(0);
    } finally {
      await t.close();
    }
  });
});
