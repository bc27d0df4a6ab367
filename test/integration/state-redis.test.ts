/**
 * Tests the Redis state store against a real redis-server: round trips, TTLs, corrupt entries, outages.
 * Unhandled rejections and ioredis's unhandled-error output are checked in a separate process
 * (state-redis-process.test.ts): jest takes over the process's rejection listeners, and across jest's
 * vm realm ioredis's `instanceof Error` check never prints.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { RedisStateStore, StateLog, StateStoreEvent } from '../../src/state';
import { StateUnavailableError, createRedisStore, createStateStore } from '../../src/state';
import type { RedisServer, TestRedis } from '../helpers/redis-server';
import { requireRedis, startRedisServer, useTestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

describe('Redis state store, Redis running', () => {
  requireRedis();
  let redis: TestRedis;
  let raw: Redis;
  const stores: RedisStateStore[] = [];

  beforeAll(async () => {
    redis = await useTestRedis();
    raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    await raw.ping();
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    raw.disconnect();
    await redis.release();
  });

  /** A store in a namespace of its own, so tests never see each other's keys in a shared Redis. */
  async function openStore(
    options: { ttlSeconds?: number; events?: StateStoreEvent[] } = {},
  ): Promise<RedisStateStore> {
    const events = options.events;
    const store = createRedisStore({
      url: redis.url,
      namespace: `tropo-app-test:${randomUUID()}`,
      ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      ...(events === undefined ? {} : { onEvent: (e: StateStoreEvent) => void events.push(e) }),
    });
    stores.push(store);
    await waitFor(() => store.health().ready, 'the store to connect');
    return store;
  }

  it('when a state is set, then get returns it and delete removes it', async () => {
    const store = await openStore();
    const value = { step: 3, answers: ['1', 'sales'], caller: { name: 'Zoë 名前' }, done: false };
    await store.set('sess-1', value);
    expect(await store.get('sess-1')).toEqual(value);
    expect(await store.get('sess-unknown')).toBeUndefined();
    await store.delete('sess-1');
    await store.delete('sess-1');
    expect(await store.get('sess-1')).toBeUndefined();
  });

  it("when two claims race for one session, then exactly one wins and the winner's state stays", async () => {
    const store = await openStore({ ttlSeconds: 60 });
    const other = await openStore({ ttlSeconds: 60 });
    const won = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claim('race', { n: i })),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = won.indexOf(true);
    expect(await store.get('race')).toEqual({ n: winner });
    expect(await raw.ttl(store.keyFor('race'))).toBeGreaterThan(0);
    expect(await other.claim('race', { n: -1 })).toBe(true); // another namespace: another session
  });

  it('when a state is set, then it lives at <namespace>:<sessionId> as JSON with the TTL in Redis', async () => {
    const store = await openStore({ ttlSeconds: 600 });
    const key = store.keyFor('abc123');
    expect(key).toMatch(/^tropo-app-test:[0-9a-f-]+:abc123$/);
    /** The TTL Redis reports after `set`, and the most it may have run down: the time this took. */
    const ttlAfter = async (set: () => Promise<void>) => {
      const started = Date.now();
      await set();
      const ttl = await raw.ttl(key);
      return { ttl, spentSeconds: Math.ceil((Date.now() - started) / 1000) };
    };
    const first = await ttlAfter(() => store.set('abc123', { n: 1 }));
    expect(await raw.get(key)).toBe('{"n":1}');
    expect(first.ttl).toBeLessThanOrEqual(600);
    expect(first.ttl).toBeGreaterThanOrEqual(600 - first.spentSeconds - 1);
    const second = await ttlAfter(() => store.set('abc123', { n: 2 }, 42));
    expect(second.ttl).toBeLessThanOrEqual(42);
    expect(second.ttl).toBeGreaterThanOrEqual(42 - second.spentSeconds - 1);
  });

  it('when the default namespace is used, then keys are tropo-app:state:<sessionId>', async () => {
    const store = createRedisStore({ url: redis.url });
    stores.push(store);
    await waitFor(() => store.health().ready, 'the store to connect');
    const sessionId = `ns-check-${randomUUID()}`;
    await store.set(sessionId, { ok: true }, 30);
    expect(await raw.get(`tropo-app:state:${sessionId}`)).toBe('{"ok":true}');
    await store.delete(sessionId);
    expect(await raw.exists(`tropo-app:state:${sessionId}`)).toBe(0);
  });

  it('when the TTL of one second passes, then Redis has dropped the state', async () => {
    const store = await openStore();
    await store.set('short-lived', { a: 1 }, 1);
    expect(await store.get('short-lived')).toEqual({ a: 1 });
    const started = Date.now();
    await waitFor(async () => (await store.get('short-lived')) === undefined, 'expiry', 3_000, 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('when the stored value is corrupt, then get reads it as empty, reports it, and set repairs it', async () => {
    const events: StateStoreEvent[] = [];
    const store = await openStore({ events });
    for (const corrupt of ['{not json', '[1,2,3]', '42', 'null', '"text"']) {
      await raw.set(store.keyFor('broken'), corrupt, 'EX', 60);
      expect(await store.get('broken')).toBeUndefined();
    }
    expect(events.filter((e) => e.type === 'corrupt')).toHaveLength(5);
    expect(events).toContainEqual({ type: 'corrupt', sessionId: 'broken' });
    await store.set('broken', { fixed: true });
    expect(await store.get('broken')).toEqual({ fixed: true });
  });

  it('when the key holds another Redis type, then the call rejects with StateUnavailableError', async () => {
    const store = await openStore();
    await raw.rpush(store.keyFor('wrong-type'), 'x');
    await raw.expire(store.keyFor('wrong-type'), 60);
    await expect(store.get('wrong-type')).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(store.get('wrong-type')).rejects.toThrow(/WRONGTYPE/);
  });

  it('when created through createStateStore with a URL, then it uses Redis and logs the connection', async () => {
    const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
    const log: StateLog = {
      info: (fields, message) => void lines.push({ level: 'info', message, fields }),
      warn: (fields, message) => void lines.push({ level: 'warn', message, fields }),
    };
    const store = createStateStore({
      redisUrl: redis.url,
      namespace: `tropo-app-test:${randomUUID()}`,
      ttlSeconds: 120,
      log,
    });
    try {
      expect(store.backend).toBe('redis');
      expect(store.ttlSeconds).toBe(120);
      await waitFor(() => store.health().ready, 'the store to connect');
      expect(lines).toEqual([
        { level: 'info', message: 'state store: redis connected', fields: {} },
      ]);
      await store.set('via-factory', { ok: 1 });
      expect(await store.get('via-factory')).toEqual({ ok: 1 });
    } finally {
      await store.close();
    }
  });

  it('when the store is closed, then health says so and calls reject without reaching Redis', async () => {
    const events: StateStoreEvent[] = [];
    const store = await openStore({ events });
    await store.close();
    await store.close();
    expect(store.health()).toEqual({ ready: false, reason: 'state store closed' });
    await expect(store.get('x')).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(store.set('x', { a: 1 })).rejects.toBeInstanceOf(StateUnavailableError);
    expect(events.filter((e) => e.type === 'down')).toEqual([]);
  });
});

describe('Redis state store, Redis failing', () => {
  requireRedis('binary');
  let server: RedisServer;

  beforeAll(async () => {
    // These tests kill and freeze Redis, so they always run a private server, never REDIS_TEST_URL's.
    server = await startRedisServer();
  });

  afterAll(async () => {
    await server.dispose();
  });

  beforeEach(async () => {
    await server.start();
  });

  function open(
    events: StateStoreEvent[],
    url = server.url,
    commandTimeoutMs = 300,
  ): RedisStateStore {
    return createRedisStore({
      url,
      namespace: `tropo-app-test:${randomUUID()}`,
      commandTimeoutMs,
      connectTimeoutMs: 500,
      reconnectMaxDelayMs: 100,
      onEvent: (e) => void events.push(e),
    });
  }

  it('when Redis is killed, then calls fail fast, health says why, the outage is reported once, and the store recovers by itself', async () => {
    const events: StateStoreEvent[] = [];
    // A command timeout far past the test's own: had the calls below waited for Redis instead of
    // failing fast, the test would time out (no wall-clock bound needed to see it).
    const store = open(events, server.url, 600_000);
    try {
      await waitFor(() => store.health().ready, 'the store to connect');
      await store.set('before', { a: 1 });
      expect(events).toEqual([{ type: 'up', recovered: false }]);

      await server.kill();
      await waitFor(() => !store.health().ready, 'health to notice the outage', 5_000);

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? store.get(`s${i}`) : store.set(`s${i}`, { i }),
        ),
      );
      for (const result of results) {
        expect(result.status).toBe('rejected');
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(StateUnavailableError);
          expect(result.reason).toMatchObject({ code: 'STATE_UNAVAILABLE' });
          // Refused at once (no offline queue), not timed out.
          expect((result.reason as Error).message).toMatch(/enableOfflineQueue/);
        }
      }

      // Let several reconnect attempts fail: each must not report the outage again.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const health = store.health();
      expect(health.ready).toBe(false);
      expect(health.reason).toMatch(/^redis unavailable: /);
      expect(health.reason).not.toContain('redis://');
      expect(events.filter((e) => e.type === 'down')).toHaveLength(1);
      expect(events[1]).toMatchObject({ type: 'down', reason: 'connection closed' });

      await server.start();
      await waitFor(() => store.health().ready, 'the store to recover', 10_000);
      expect(store.health()).toEqual({ ready: true });
      expect(events.map((e) => e.type)).toEqual(['up', 'down', 'up']);
      expect(events[2]).toMatchObject({ type: 'up', recovered: true });
      const downFor = (events[2] as { downForMs?: number }).downForMs;
      expect(downFor).toBeGreaterThanOrEqual(800);

      // The restarted Redis kept nothing (no persistence); the store works again all the same.
      expect(await store.get('before')).toBeUndefined();
      await store.set('after', { b: 2 });
      expect(await store.get('after')).toEqual({ b: 2 });
    } finally {
      await store.close();
    }
  });

  it('when Redis hangs, then a call rejects with StateUnavailableError once the command timeout passes', async () => {
    const events: StateStoreEvent[] = [];
    const store = open(events);
    try {
      await waitFor(() => store.health().ready, 'the store to connect');
      server.freeze();
      const started = Date.now();
      const hung = await store.get('hung').catch((err: unknown) => err);
      // A frozen Redis never answers: only the command timeout can end the call, and says so.
      expect(hung).toBeInstanceOf(StateUnavailableError);
      expect((hung as Error).message).toMatch(/timed out/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      server.thaw();
      await store.set('thawed', { ok: true });
      expect(await store.get('thawed')).toEqual({ ok: true });
    } finally {
      server.thaw();
      await store.close();
    }
  });

  it('when Redis is down at start, then the store is not ready, reports once, and connects when Redis comes', async () => {
    await server.stop();
    const events: StateStoreEvent[] = [];
    const store = open(events);
    try {
      await waitFor(() => events.length > 0, 'the first connection failure', 5_000);
      expect(store.health()).toEqual({ ready: false, reason: 'redis unavailable: ECONNREFUSED' });
      await expect(store.get('early')).rejects.toBeInstanceOf(StateUnavailableError);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(events).toEqual([
        expect.objectContaining({ type: 'down', reason: 'ECONNREFUSED' }) as StateStoreEvent,
      ]);

      await server.start();
      await waitFor(() => store.health().ready, 'the store to connect', 10_000);
      expect(events.map((e) => e.type)).toEqual(['down', 'up']);
      expect(events[1]).toMatchObject({ type: 'up', recovered: true });
    } finally {
      await store.close();
    }
  });

  it('when the URL never holds a Redis and the store is closed, then close ends reconnecting at once', async () => {
    // Something that accepts and hangs up at once: each reconnect attempt is counted.
    let attempts = 0;
    const hangUp = createServer((socket) => {
      attempts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
    const { port } = hangUp.address() as AddressInfo;
    const events: StateStoreEvent[] = [];
    const store = open(events, `redis://127.0.0.1:${port}`);
    try {
      await waitFor(() => attempts >= 2, 'the store to be reconnecting', 5_000);
      await store.close();
      expect(store.health()).toEqual({ ready: false, reason: 'state store closed' });
      const reported = events.length;
      const attemptsAtClose = attempts;
      // Several reconnect delays (at most 100 ms here) pass: none may try again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(attempts).toBe(attemptsAtClose);
      expect(events).toHaveLength(reported);
    } finally {
      await store.close();
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });
});
