/**
 * One session's state is bounded in bytes in both backends: an app that writes more fails its
 * request (logged with an error id; Tropo gets the fallback) and nothing oversized is kept.
 */
import request from 'supertest';
import { ask, defineApp, hangup, on, say } from '../../src/sdk';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import { StateTooLargeError, createRedisStore } from '../../src/state';
import type { TestRedis } from '../helpers/redis-server';
import { requireRedis, useTestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { buildTestApp, fixture } from '../helpers/test-app';

/** Stores what the caller asked for: `size` bytes of text under one key. */
const hoarder = defineApp<{ size: string }>({
  name: 'hoarder',
  description: 'keeps as much state as it is told to',
  channels: ['voice'],
  async start(ctx) {
    const size = Number(ctx.session.parameters.size ?? '10');
    await ctx.state.set('blob', 'x'.repeat(size));
    return [
      ask({ say: [{ value: 'Pick.' }], choices: { value: '[1 DIGIT]' }, name: 'pick' }),
      on({ event: 'continue', next: ctx.next('pick') }),
    ];
  },
  on: { pick: () => [say({ value: 'Bye.' }), hangup()] },
});

type SessionBody = { session: { id: string; parameters?: Record<string, string> } };

function sessionOf(id: string, size: number): SessionBody {
  const body = fixture<SessionBody>('requests/inbound-voice-session.json');
  return { session: { ...body.session, id, parameters: { size: String(size) } } };
}

describe('state byte bounds through the server', () => {
  const registry = new AppRegistry([moduleApp(hoarder)]);

  it('when an app writes over STATE_MAX_BYTES_PER_SESSION, then the answer is the fallback and the log names the bound', async () => {
    const t = buildTestApp({ STATE_MAX_BYTES_PER_SESSION: '1024' }, { registry });
    try {
      const small = await request(t.app)
        .post('/apps/hoarder/start')
        .send(sessionOf('small-1', 500));
      expect(small.status).toBe(200);
      expect(small.headers['x-error-id']).toBeUndefined();
      expect(await t.state.get('small-1')).toEqual({ blob: 'x'.repeat(500) });

      const big = await request(t.app).post('/apps/hoarder/start').send(sessionOf('big-1', 2000));
      expect(big.status).toBe(200);
      // A Session API launch has nobody to apologise to: its fallback only hangs up.
      expect(big.body).toEqual({ tropo: [{ hangup: {} }] });
      expect(big.headers['x-error-id']).toEqual(expect.any(String));
      expect(await t.state.get('big-1')).toBeUndefined();
      const line = t.logs().find((l) => l.level === 'error' && l.sessionId === 'big-1');
      expect(JSON.stringify(line)).toContain('STATE_MAX_BYTES_PER_SESSION');
    } finally {
      await t.close();
    }
  });
});

describe('state byte bounds in Redis', () => {
  requireRedis();
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await useTestRedis();
  });
  afterAll(() => redis.release());

  it('when a session state is over maxBytesPerSession, then the Redis store refuses it and keeps the old one', async () => {
    const store = createRedisStore({
      url: redis.url,
      namespace: `tropo-app-test:bounds:${process.pid}:${Date.now()}`,
      maxBytesPerSession: 256,
    });
    try {
      await waitFor(() => store.health().ready, 'the Redis store to connect');
      await store.set('s1', { v: 'x'.repeat(200) });
      await expect(store.set('s1', { v: 'x'.repeat(300) })).rejects.toThrow(StateTooLargeError);
      expect(await store.get('s1')).toEqual({ v: 'x'.repeat(200) });
    } finally {
      await store.delete('s1');
      await store.close();
    }
  });
});
