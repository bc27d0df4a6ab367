/** Tests createStateStore's choice of backend and the error type the server relies on. */
import {
  DEFAULT_TTL_SECONDS,
  StateUnavailableError,
  createStateStore,
  isStateUnavailableError,
} from '../../../src/state';

describe('createStateStore', () => {
  it('when no Redis URL is given, then state is kept in memory with the defaults', async () => {
    for (const store of [createStateStore(), createStateStore({ redisUrl: '' })]) {
      expect(store.backend).toBe('memory');
      expect(store.ttlSeconds).toBe(DEFAULT_TTL_SECONDS);
      expect(store.health()).toEqual({ ready: true });
      await store.close();
    }
  });

  it('when options are given, then the memory store uses them', async () => {
    const store = createStateStore({ ttlSeconds: 30, maxEntries: 1 });
    expect(store.ttlSeconds).toBe(30);
    await store.set('a', { n: 1 });
    await store.set('b', { n: 2 });
    expect(await store.get('a')).toBeUndefined();
    await store.close();
  });

  it('the default TTL outlasts a Tropo session, which ends after 4 hours', () => {
    expect(DEFAULT_TTL_SECONDS).toBeGreaterThan(4 * 3600);
    expect(DEFAULT_TTL_SECONDS).toBeLessThanOrEqual(5 * 3600);
  });
});

describe('StateUnavailableError', () => {
  it('carries a stable code, its cause and a type guard', () => {
    const cause = new Error('connect ECONNREFUSED');
    const err = new StateUnavailableError('redis GET failed', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('StateUnavailableError');
    expect(err.code).toBe('STATE_UNAVAILABLE');
    expect(err.cause).toBe(cause);
    expect(isStateUnavailableError(err)).toBe(true);
    expect(isStateUnavailableError(new Error('other'))).toBe(false);
  });
});
