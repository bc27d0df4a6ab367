/**
 * Fault injection on the state store: Redis killed or frozen between two documents of a
 * conversation. Tropo must still get a valid document: at once when Redis refuses, and from the
 * APP_TIMEOUT_MS timer when Redis never answers (the store's own command timeout is set far past
 * the test's, so nothing else could answer in time and no wall-clock bound is needed).
 */
import request from 'supertest';
import { createRedisStore, type StateStore } from '../../src/state';
import { validateDocument } from '../../src/tropo';
import { type RedisServer, requireRedis, startRedisServer } from '../helpers/redis-server';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const APP_TIMEOUT_MS = 500;

describe('Redis disappears mid-conversation', () => {
  requireRedis('binary');
  let redis: RedisServer;
  let store: StateStore;
  let t: TestApp;

  beforeAll(async () => {
    // These tests kill and freeze Redis, so they run a private server, never REDIS_TEST_URL's.
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await redis.dispose();
  });

  beforeEach(async () => {
    await redis.start();
    store = createRedisStore({
      url: redis.url,
      namespace: `hostile-${Date.now()}`,
      commandTimeoutMs: 600_000,
    });
    await waitFor(() => store.health().ready, 'the store to connect');
    t = buildTestApp({ APP_TIMEOUT_MS: String(APP_TIMEOUT_MS) }, { state: store });
  });

  afterEach(async () => {
    redis.thaw();
    await t.close();
  });

  /** The reminder asks for a confirmation (state written), then `between` happens, then the callee answers. */
  async function confirmAfter(between: () => Promise<void> | void) {
    const first = await request(t.app)
      .post('/apps/appointment-reminder/start')
      .send(fixture('requests/reminder-confirm-session.json'));
    expect(first.status).toBe(200);
    await between();
    return request(t.app)
      .post('/apps/appointment-reminder/on/confirm')
      .send(fixture('requests/confirm-pressed-1-result.json'));
  }

  it.each([
    // Killed: refused at once, or (when the store has not yet seen the socket close) the timer.
    ['killed', () => redis.kill(), /^(STATE_UNAVAILABLE|APP_TIMEOUT)$/],
    ['frozen', () => redis.freeze(), /^APP_TIMEOUT$/],
  ] as const)(
    'when Redis is %s, then the confirm handler still answers a valid document in time, and the server says it is not ready',
    async (_how, fault, code) => {
      const res = await confirmAfter(fault);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(validateDocument(res.body).ok).toBe(true);
      const failure = t.logs().find((l) => l.errorId === res.headers['x-error-id']);
      expect(failure?.code).toMatch(code);
      if (_how === 'killed') {
        await waitFor(() => !store.health().ready, 'health to notice the outage', 5_000);
        expect((await request(t.app).get('/readyz')).status).toBe(503);
      }
    },
  );
});
