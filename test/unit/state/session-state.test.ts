/** Tests the per-session view apps get as ctx.state, over the memory store and a failing store. */
import type { JsonObject, StateStore } from '../../../src/state';
import {
  SESSION_KEY_FIELD,
  StateUnavailableError,
  createMemoryStore,
  sessionState,
} from '../../../src/state';

describe('sessionState', () => {
  it('when keys are set, then each reads back and the others are kept', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    await state.set('step', 1);
    await state.set('answers', ['1', '3']);
    await state.set('step', 2);
    expect(await state.get<number>('step')).toBe(2);
    expect(await state.get('answers')).toEqual(['1', '3']);
    expect(await state.all()).toEqual({ step: 2, answers: ['1', '3'] });
    expect(await store.get('call-1')).toEqual({ step: 2, answers: ['1', '3'] });
    await store.close();
  });

  it('when two sessions share a store, then neither sees the other', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    await sessionState(store, 'a').set('k', 'from a');
    await sessionState(store, 'b').set('k', 'from b');
    expect(await sessionState(store, 'a').get('k')).toBe('from a');
    expect(await sessionState(store, 'b').get('k')).toBe('from b');
    await store.close();
  });

  it('when a key is missing, then get resolves undefined, even for Object.prototype names', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    expect(await state.get('anything')).toBeUndefined();
    await state.set('other', true);
    expect(await state.get('constructor')).toBeUndefined();
    expect(await state.get('toString')).toBeUndefined();
    expect(await state.all()).toEqual({ other: true });
    await store.close();
  });

  it('when the key is "__proto__", then it is stored as a plain key', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    await state.set('__proto__', { polluted: true });
    expect(await state.get('__proto__')).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await store.close();
  });

  it('when one key is deleted, then only it goes; when the last goes, the session entry goes', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    await state.set('a', 1);
    await state.set('b', 2);
    await state.delete('a');
    await state.delete('not-there');
    expect(await state.all()).toEqual({ b: 2 });
    await state.delete('b');
    expect(await store.get('call-1')).toBeUndefined();
    expect(store.size()).toBe(0);
    await store.close();
  });

  it('when delete is called without a key, then the whole session state goes', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    await state.set('a', 1);
    await state.set('b', 2);
    await state.delete();
    expect(await state.all()).toEqual({});
    expect(await store.get('call-1')).toBeUndefined();
    await store.close();
  });

  it('when sets run concurrently, then no write is lost', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, 'call-1');
    await Promise.all(Array.from({ length: 20 }, (_, i) => state.set(`k${i}`, i)));
    const all = await state.all();
    expect(Object.keys(all)).toHaveLength(20);
    expect(all.k19).toBe(19);
    await store.close();
  });

  it('when a TTL is given, then the view writes with it', async () => {
    let t = 0;
    const store = createMemoryStore({ ttlSeconds: 100, sweepIntervalMs: 0, now: () => t });
    await sessionState(store, 'short', { ttlSeconds: 1 }).set('a', 1);
    await sessionState(store, 'long').set('a', 1);
    t = 1_000;
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('long')).toEqual({ a: 1 });
    await store.close();
  });

  it('when the store cannot answer, then the error reaches the app and later calls still run', async () => {
    const data = new Map<string, JsonObject>();
    let failures = 1;
    const flaky: StateStore = {
      backend: 'memory',
      ttlSeconds: 60,
      get: (id) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new StateUnavailableError('backend down'));
        }
        return Promise.resolve(data.get(id));
      },
      set: (id, value) => {
        data.set(id, value);
        return Promise.resolve();
      },
      claim: (id, value) => {
        if (data.has(id)) return Promise.resolve(false);
        data.set(id, value);
        return Promise.resolve(true);
      },
      delete: (id) => {
        data.delete(id);
        return Promise.resolve();
      },
      health: () => ({ ready: true }),
      close: () => Promise.resolve(),
    };
    const state = sessionState(flaky, 'call-1');
    const first = state.set('a', 1);
    const second = state.set('b', 2);
    await expect(first).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    await expect(second).resolves.toBeUndefined();
    expect(await state.all()).toEqual({ b: 2 });
  });

  it('when the session id is empty, then building the view succeeds but every call rejects', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const state = sessionState(store, '');
    await expect(state.get('a')).rejects.toThrow(TypeError);
    await expect(state.set('a', 1)).rejects.toThrow(TypeError);
    await expect(state.delete()).rejects.toThrow(TypeError);
    expect(store.size()).toBe(0);
    await store.close();
  });
});

describe('the session key field', () => {
  it('when a session holds a key, then apps never see it, cannot set it, and a keyed whole delete keeps it', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    expect(await store.claim('s1', { [SESSION_KEY_FIELD]: 'k' })).toBe(true);
    expect(await store.claim('s1', { [SESSION_KEY_FIELD]: 'other' })).toBe(false);
    const view = sessionState(store, 's1', { keyed: true });
    await view.set('a', 1);
    expect(await view.all()).toEqual({ a: 1 });
    expect(await view.get(SESSION_KEY_FIELD)).toBeUndefined();
    await expect(view.set(SESSION_KEY_FIELD, 'forged')).rejects.toThrow(/reserved/);
    await view.delete(SESSION_KEY_FIELD);
    await view.delete('a');
    expect(await store.get('s1')).toEqual({ [SESSION_KEY_FIELD]: 'k' });
    await view.set('b', 2);
    await view.delete();
    expect(await store.get('s1')).toEqual({ [SESSION_KEY_FIELD]: 'k' });
    await store.close();
  });

  it('when an entry has expired, then a claim takes the session afresh', async () => {
    let t = 0;
    const store = createMemoryStore({ ttlSeconds: 1, sweepIntervalMs: 0, now: () => t });
    expect(await store.claim('s1', { a: 1 })).toBe(true);
    t = 1_000;
    expect(await store.claim('s1', { a: 2 })).toBe(true);
    expect(await store.get('s1')).toEqual({ a: 2 });
    await store.close();
  });
});
