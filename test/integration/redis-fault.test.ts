/**
 * Fault injection on the state store: Redis killed or frozen between two documents of a
 * conversation. Tropo must still get a valid document within APP_TIMEOUT_MS plus a margin.
 */
import request from 'supertest';
import { createStateStore, type StateStore } from '../../src/state';
import { validateDocument } from '../../src/tropo';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const APP_TIMEOUT_MS = 500;
const MARGIN_MS = 1_500;

describe('Redis disappears mid-conversation', () => {
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
    store = createStateStore({ redisUrl: redis.url, namespace: `hostile-${Date.now()}` });
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
    const started = Date.now();
    const res = await request(t.app)
      .post('/apps/appointment-reminder/on/confirm')
      .send(fixture('requests/confirm-pressed-1-result.json'));
    return { res, elapsed: Date.now() - started };
  }

  it.each([
    ['killed', () => redis.kill()],
    ['frozen', () => redis.freeze()],
  ] as const)(
    'when Redis is %s, then the confirm handler still answers a valid document in time, and the server says it is not ready',
    async (_how, fault) => {
      const { res, elapsed } = await confirmAfter(fault);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(validateDocument(res.body).ok).toBe(true);
      expect(elapsed).toBeLessThan(APP_TIMEOUT_MS + MARGIN_MS);
      const failure = t.logs().find((l) => l.errorId === res.headers['x-error-id']);
      expect(failure?.code).toMatch(/^(STATE_UNAVAILABLE|APP_TIMEOUT)$/);
      if (_how === 'killed') {
        await waitFor(() => !store.health().ready, 'health to notice the outage', 5_000);
        expect((await request(t.app).get('/readyz')).status).toBe(503);
      }
    },
  );
});
