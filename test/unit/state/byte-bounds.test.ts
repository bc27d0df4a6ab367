/** The memory store stays within its byte bounds: one session's state, and all sessions together. */
import {
  DEFAULT_MAX_BYTES_PER_SESSION,
  StateTooLargeError,
  createMemoryStore,
} from '../../../src/state';

/** A state whose JSON text is exactly `bytes` long: {"v":"xxx…"} is 8 bytes plus the x's. */
const stateOf = (bytes: number) => ({ v: 'x'.repeat(bytes - 8) });

describe('memory state store byte bounds', () => {
  it('when one session state is over maxBytesPerSession, then set rejects and keeps the old state', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0, maxBytesPerSession: 100 });
    await store.set('s1', stateOf(100));
    const before = store.bytes();
    await expect(store.set('s1', stateOf(101))).rejects.toThrow(StateTooLargeError);
    await expect(store.set('s1', stateOf(101))).rejects.toThrow(/101 bytes.*100-byte bound/);
    expect(await store.get('s1')).toEqual(stateOf(100));
    expect(store.bytes()).toBe(before);
    await store.close();
  });

  it('when no bound is given, then one session may keep 16 KB and no more', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    await store.set('s1', stateOf(DEFAULT_MAX_BYTES_PER_SESSION));
    await expect(store.set('s2', stateOf(DEFAULT_MAX_BYTES_PER_SESSION + 1))).rejects.toThrow(
      StateTooLargeError,
    );
    await store.close();
  });

  it('when the bound counts bytes, then multi-byte text counts as its UTF-8 size', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0, maxBytesPerSession: 100 });
    // 40 euro signs are 40 characters but 120 bytes of UTF-8.
    await expect(store.set('s1', { v: '€'.repeat(40) })).rejects.toThrow(/128 bytes/);
    await store.set('s1', { v: '€'.repeat(30) });
    await store.close();
  });

  it('when writes pass maxBytes, then the least recently written sessions are evicted and counted', async () => {
    const evicted: string[] = [];
    const store = createMemoryStore({
      sweepIntervalMs: 0,
      maxBytes: 1000,
      onEvict: (reason) => evicted.push(reason),
    });
    // Each entry: a 2-byte id plus 200 bytes of state.
    for (let i = 0; i < 10; i++) await store.set(`s${i}`, stateOf(200));
    expect(store.bytes()).toBeLessThanOrEqual(1000);
    expect(store.size()).toBe(4);
    expect(evicted).toEqual(Array(6).fill('bytes'));
    expect(await store.get('s0')).toBeUndefined();
    expect(await store.get('s9')).toEqual(stateOf(200));
    await store.close();
  });

  it('when entries are overwritten, deleted, expired or swept, then the byte count follows them', async () => {
    let t = 0;
    const store = createMemoryStore({ sweepIntervalMs: 0, now: () => t });
    await store.set('a', stateOf(100), 1);
    await store.set('b', stateOf(100), 10);
    expect(store.bytes()).toBe(202);
    await store.set('a', stateOf(50), 1);
    expect(store.bytes()).toBe(152);
    await store.delete('b');
    expect(store.bytes()).toBe(51);
    await store.set('c', stateOf(20), 1);
    t += 2000;
    expect(await store.get('a')).toBeUndefined();
    expect(store.bytes()).toBe(21);
    expect(store.sweep()).toBe(1);
    expect(store.bytes()).toBe(0);
    await store.close();
  });

  it('when the entry bound evicts, then onEvict says so', async () => {
    const evicted: string[] = [];
    const store = createMemoryStore({
      sweepIntervalMs: 0,
      maxEntries: 2,
      onEvict: (reason) => evicted.push(reason),
    });
    for (const id of ['a', 'b', 'c']) await store.set(id, { id });
    expect(evicted).toEqual(['entries']);
    await store.close();
  });

  it('when the bounds are not whole positive numbers, then the store refuses to start', () => {
    expect(() => createMemoryStore({ maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => createMemoryStore({ maxBytesPerSession: 1.5 })).toThrow(/maxBytesPerSession/);
  });
});
