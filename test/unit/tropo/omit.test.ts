/** Tests that `omit` gives what an object rest (`{ a, ...rest }`) gives: the same keys, values and order. */
import fc from 'fast-check';
import { copyWithout, omit } from '../../../src/tropo/json';

/** The object rest it replaces, for any list of excluded keys. */
function rest(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  for (const key of keys) delete out[key];
  return out;
}

describe('omit', () => {
  it('when given any object and keys to leave out, then it equals the object rest, key order too', () => {
    const key = fc.constantFrom('say', 'ask', 'on', 'to', 'url', 'event', 'next', 'name', 'value');
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.jsonValue()),
        fc.uniqueArray(key, { maxLength: 4 }),
        (object, keys) => {
          const omitted = omit(object, keys);
          expect(Object.keys(omitted)).toEqual(Object.keys(rest(object, keys)));
          expect(omitted).toEqual(rest(object, keys));
        },
      ),
      { seed: 20240917 },
    );
  });

  it('when copying onto a target, then its keys come first and the source keys follow in order', () => {
    const target = copyWithout({ to: ['a'] }, { on: 1, timeout: 30, to: 'x', name: 'n' }, [
      'to',
      'on',
    ]);
    expect(Object.keys(target)).toEqual(['to', 'timeout', 'name']);
    expect(target).toEqual({ to: ['a'], timeout: 30, name: 'n' });
  });

  it('when a key is __proto__, then it is copied as data and the prototype is untouched', () => {
    const object = JSON.parse('{"__proto__":{"polluted":true},"say":"x","event":"e"}') as object;
    const omitted = omit(object as Record<string, unknown>, ['say']);
    expect(Object.getPrototypeOf(omitted)).toBe(Object.prototype);
    expect(Object.keys(omitted)).toEqual(['__proto__', 'event']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
