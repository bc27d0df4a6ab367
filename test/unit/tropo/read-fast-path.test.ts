/** Property tests (fixed seed): a payload field the readers take as it is, without zod, is exactly what its schema reads it as. */
import fc from 'fast-check';
import { FAST_PATH_SCHEMAS, readsAsItself } from '../../../src/tropo/read';

const SEED = 20240917;

/** Any value a JSON body or a caller may hand the readers, with the numbers JSON cannot hold. */
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, '', null, undefined, true, false),
);

describe.each(Object.entries(FAST_PATH_SCHEMAS))('fast path of %s', (_name, schema) => {
  it('when a value takes the fast path, then the schema reads it as that very value', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        if (!readsAsItself(schema, value)) return;
        const parsed = schema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(Object.is(parsed.data, value)).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('when given the kind of value it is for, then it takes the fast path', () => {
    const samples = ['a string', '', 42, -0, 3.5, null, true, false, Number.NaN, Infinity, {}, []];
    const taken = samples.filter((v) => readsAsItself(schema, v));
    // Every schema here has one: a test that never applied would prove nothing.
    expect(taken.length).toBeGreaterThan(0);
    for (const value of taken) expect(Object.is(schema.parse(value), value)).toBe(true);
  });
});
