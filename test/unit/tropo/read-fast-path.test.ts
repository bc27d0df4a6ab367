/** Property tests (fixed seed): a payload field the readers read quickly, without zod, is exactly what its schema reads it as. */
import fc from 'fast-check';
import { FAST_PATH_SCHEMAS, NOT_QUICK, quickRead } from '../../../src/tropo/read';

const SEED = 20240917;

/** Any value a JSON body or a caller may hand the readers, with the numbers JSON cannot hold. */
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, '', null, undefined, true, false),
);

describe.each(Object.entries(FAST_PATH_SCHEMAS))('fast path of %s', (_name, schema) => {
  it('when a value has a quick read, then the schema reads it as that very result', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const quick = quickRead(schema, value);
        if (quick === NOT_QUICK) return;
        const parsed = schema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(Object.is(parsed.data, quick)).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('when a value has no quick read, then the schema refuses it (the reader then skips its first try)', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        if (quickRead(schema, value) !== NOT_QUICK) return;
        expect(schema.safeParse(value).success).toBe(false);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('when given the kind of value it is for, then it takes the fast path', () => {
    const samples = [
      'a string',
      '',
      '12',
      42,
      -0,
      3.5,
      null,
      true,
      false,
      Number.NaN,
      Infinity,
      {},
      [],
    ];
    const taken = samples.filter((v) => quickRead(schema, v) !== NOT_QUICK);
    // Every schema here has one: a test that never applied would prove nothing.
    expect(taken.length).toBeGreaterThan(0);
    for (const value of taken)
      expect(Object.is(schema.parse(value), quickRead(schema, value))).toBe(true);
  });
});
