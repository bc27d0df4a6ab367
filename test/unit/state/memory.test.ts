/** Tests the in-memory state store: round trips, TTL with an injected clock, the bound and the sweep. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { StateUnavailableError, createMemoryStore } from '../../../src/state';

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('memory state store', () => {
  it('when a session state is set, then get returns an equal copy that the caller cannot alter', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const value = { step: 2, answers: ['yes', 'no'], caller: { id: '+14155550100' } };
    await store.set('s1', value);
    value.answers.push('mutated after set');
    const got = await store.get('s1');
    expect(got).toEqual({ step: 2, answers: ['yes', 'no'], caller: { id: '+14155550100' } });
    (got?.answers as string[]).push('mutated after get');
    expect(await store.get('s1')).toEqual({
      step: 2,
      answers: ['yes', 'no'],
      caller: { id: '+14155550100' },
    });
    await store.close();
  });

  it('when a session was never set or was deleted, then get resolves undefined', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    expect(await store.get('nobody')).toBeUndefined();
    await store.set('s1', { a: 1 });
    await store.set('s2', { b: 2 });
    await store.delete('s1');
    await store.delete('never-there');
    expect(await store.get('s1')).toBeUndefined();
    expect(await store.get('s2')).toEqual({ b: 2 });
    await store.close();
  });

  it('when the TTL passes, then the entry is gone and a read removes it', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 10, sweepIntervalMs: 0, now: c.now });
    await store.set('s1', { a: 1 });
    c.advance(9_999);
    expect(await store.get('s1')).toEqual({ a: 1 });
    c.advance(1);
    expect(store.size()).toBe(1);
    expect(await store.get('s1')).toBeUndefined();
    expect(store.size()).toBe(0);
    await store.close();
  });

  it('when set is given its own TTL, then that TTL applies instead of the default', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 10, sweepIntervalMs: 0, now: c.now });
    await store.set('short', { a: 1 }, 2);
    await store.set('default', { b: 1 });
    c.advance(2_000);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('default')).toEqual({ b: 1 });
    await store.close();
  });

  it('when a session is written again, then its TTL starts over', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 10, sweepIntervalMs: 0, now: c.now });
    await store.set('s1', { step: 1 });
    c.advance(8_000);
    await store.set('s1', { step: 2 });
    c.advance(8_000);
    expect(await store.get('s1')).toEqual({ step: 2 });
    await store.close();
  });

  it('when the store is full, then a new session evicts the least recently written one', async () => {
    const store = createMemoryStore({ maxEntries: 3, sweepIntervalMs: 0 });
    await store.set('a', { n: 1 });
    await store.set('b', { n: 2 });
    await store.set('c', { n: 3 });
    await store.set('a', { n: 4 }); // rewriting a makes b the oldest
    await store.set('d', { n: 5 });
    expect(store.size()).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toEqual({ n: 4 });
    expect(await store.get('c')).toEqual({ n: 3 });
    expect(await store.get('d')).toEqual({ n: 5 });
    await store.close();
  });

  it('when sweep runs, then exactly the expired entries are removed', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 60, sweepIntervalMs: 0, now: c.now });
    await store.set('old1', { a: 1 }, 5);
    await store.set('old2', { a: 2 }, 5);
    await store.set('live', { a: 3 });
    c.advance(5_000);
    expect(store.sweep()).toBe(2);
    expect(store.size()).toBe(1);
    expect(await store.get('live')).toEqual({ a: 3 });
    await store.close();
  });

  it('when the sweep interval elapses, then the timer removes expired entries without any read', async () => {
    jest.useFakeTimers();
    try {
      const c = clock();
      const store = createMemoryStore({ ttlSeconds: 1, sweepIntervalMs: 1_000, now: c.now });
      await store.set('s1', { a: 1 });
      await store.set('s2', { a: 2 });
      c.advance(1_000);
      expect(store.size()).toBe(2);
      jest.advanceTimersByTime(1_000);
      expect(store.size()).toBe(0);
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when a process only creates a store, then the sweep timer does not keep it alive', () => {
    const root = join(__dirname, '..', '..', '..');
    const script =
      "const { createMemoryStore } = require('./src/state/memory');" +
      "createMemoryStore({ sweepIntervalMs: 60000 }); console.log('created');";
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.stdout.trim()).toBe('created');
    expect(run.status).toBe(0);
  });

  it('when encoding the value throws something String() cannot show, then set still rejects (never throws) with an Error', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const hostile = {
      get step(): unknown {
        // A null-prototype object: String() on it throws, so a naive converter would throw too.
        throw Object.create(null);
      },
    };
    let settled: Promise<void> | undefined;
    expect(() => {
      settled = store.set('s1', hostile as never);
    }).not.toThrow();
    await expect(settled).rejects.toThrow('a value that cannot be shown as text was thrown');
    await store.close();
  });

  it('when the store is closed, then calls reject with StateUnavailableError and health says why', async () => {
    const store = createMemoryStore();
    await store.set('s1', { a: 1 });
    expect(store.health()).toEqual({ ready: true });
    await store.close();
    await store.close();
    expect(store.health()).toEqual({ ready: false, reason: 'state store closed' });
    const failure = store.get('s1');
    await expect(failure).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(failure).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    await expect(store.set('s1', { a: 2 })).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(store.delete('s1')).rejects.toBeInstanceOf(StateUnavailableError);
  });

  it('when given a bad session id, value or TTL, then the call rejects (never throws synchronously)', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const calls: Array<() => Promise<unknown>> = [
      () => store.get(''),
      () => store.set('s1', [1, 2] as never),
      () => store.set('s1', null as never),
      () => store.set('s1', new Date() as never),
      () => store.set('s1', { big: 10n } as never),
      () => store.set('s1', { a: 1 }, 0),
      () => store.set('s1', { a: 1 }, 1.5),
      () => store.delete(''),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      await expect(promise).rejects.toThrow(/state|BigInt/);
    }
    expect(store.size()).toBe(0);
    await store.close();
  });

  it('when created with a bad TTL or bound, then it refuses with a message naming the option', () => {
    expect(() => createMemoryStore({ ttlSeconds: 0 })).toThrow(/TTL/);
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createMemoryStore({ maxEntries: 2.5 })).toThrow(/maxEntries/);
  });
});
