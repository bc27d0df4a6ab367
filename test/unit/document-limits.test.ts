import {
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_DEPTH,
  MAX_DOCUMENT_VALUES,
  oversized,
  oversizedBody,
} from '../../src/server/document-limits';
import { ask, hangup, on, say } from '../../src/tropo';

/** Wraps `root` (deeply, cycles included) in proxies that count every property read and key listing. */
function counted(root: unknown): { value: unknown; reads: () => number } {
  let reads = 0;
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = proxies.get(value);
    if (known) return known;
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        reads += 1;
        return wrap(Reflect.get(target, key, receiver));
      },
      ownKeys(target) {
        reads += 1;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { value: wrap(root), reads: () => reads };
}

describe('document limits', () => {
  it('when an app answers a real document, then it fits', () => {
    const verbs = [
      say({ value: 'Welcome.' }),
      ask({ name: 'd', choices: { value: 'sales(1), support(2)' }, say: [{ value: 'Press 1.' }] }),
      on({ event: 'continue', next: '/apps/x/on/choice' }),
      hangup(),
    ];
    expect(oversized(verbs)).toBeUndefined();
    expect(oversizedBody(JSON.stringify({ tropo: verbs }))).toBeUndefined();
  });

  it.each([
    ['too many values', () => Array.from({ length: MAX_DOCUMENT_VALUES + 1 }, () => 1), /values/],
    ['a huge string', () => [say({ value: 'x'.repeat(MAX_DOCUMENT_BYTES + 1) })], /bytes/],
    ['huge keys', () => [{ ['k'.repeat(MAX_DOCUMENT_BYTES + 1)]: 1 }], /bytes/],
    ['a sparse billion', () => new Array(1e9), /values/],
    [
      'an object with too many keys',
      () => [
        Object.fromEntries(Array.from({ length: MAX_DOCUMENT_VALUES }, (_, i) => [`k${i}`, i])),
      ],
      /values/,
    ],
    [
      'deep nesting',
      () => {
        let v: unknown = 'x';
        for (let i = 0; i < MAX_DOCUMENT_DEPTH + 1; i += 1) v = [v];
        return v;
      },
      /deeper/,
    ],
    [
      'a cycle',
      () => {
        const a: unknown[] = [];
        a.push(a);
        return a;
      },
      /deeper/,
    ],
  ])('when the answer holds %s, then it is refused, quickly', (_name, make, reason) => {
    const { value, reads } = counted(make());
    expect(oversized(value)).toMatch(reason);
    // "Quickly" as work done, not time: the check stops once a bound is passed, so it reads at
    // most about one property per value allowed (a sparse billion is never walked).
    expect(reads()).toBeLessThanOrEqual(2 * MAX_DOCUMENT_VALUES + 10);
  });

  it('when a getter throws, then the check throws (the pipeline answers the fallback)', () => {
    const verb = {
      get say(): unknown {
        throw new Error('boom');
      },
    };
    expect(() => oversized([verb])).toThrow('boom');
  });

  it('when a serialised body is over the byte limit (multi-byte text), then it is refused', () => {
    const chars = Math.floor(MAX_DOCUMENT_BYTES / 2);
    expect(oversizedBody('a'.repeat(chars))).toBeUndefined();
    // 2 bytes per "é" in UTF-8: the same number of characters is over the limit.
    expect(oversizedBody('é'.repeat(chars + 1))).toMatch(/bytes, over/);
  });
});
