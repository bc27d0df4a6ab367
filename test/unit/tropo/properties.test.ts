/** Property tests (fixed seed): built documents always validate and survive JSON unchanged; no input makes the readers throw. */
import fc from 'fast-check';
import {
  document,
  parseResult,
  parseSession,
  serialise,
  validateDocument,
  type Issue,
} from '../../../src/tropo';
import { checkDocumentRules } from '../../../src/tropo/rules';
import { builtVerb, hostilePayload, jsonObjectWithTrickyKeys } from '../../helpers/arbitraries';

const SEED = 20240917;

/** The shape every outcome must have, whatever came in. */
function expectWellFormed(outcome: { ok: boolean; issues: Issue[] }): void {
  expect(typeof outcome.ok).toBe('boolean');
  for (const issue of outcome.issues) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(['error', 'warning']).toContain(issue.severity);
  }
  expect(outcome.ok).toBe(!outcome.issues.some((issue) => issue.severity === 'error'));
}

describe('properties', () => {
  it('when a document runs only the rules of its verbs, then it gets the warnings every rule would give', () => {
    const channel = fc.constantFrom(undefined, 'VOICE' as const, 'TEXT' as const);
    fc.assert(
      fc.property(fc.array(builtVerb, { maxLength: 6 }), channel, (verbs, ch) => {
        const doc = document(verbs);
        expect(checkDocumentRules(doc, [], { channel: ch })).toEqual(
          checkDocumentRules(doc, [], { channel: ch }, 'all'),
        );
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('when documents are made by random builder calls, then they validate, are their own normal form, and round-trip through JSON', () => {
    fc.assert(
      fc.property(fc.array(builtVerb, { maxLength: 6 }), (verbs) => {
        const doc = document(verbs);
        const validation = validateDocument(doc);
        expect(validation.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
        expect(validation.issues.filter((issue) => / key /.test(issue.message))).toEqual([]);
        expect(validation.document).toEqual(doc);

        const wire = JSON.parse(serialise(doc)) as unknown;
        expect(wire).toEqual(doc);
        expect(validateDocument(wire).document).toEqual(doc);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('when given any JSON value, then the validator and parsers never throw and answer well-formed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(validateDocument(value));
        expectWellFormed(validateDocument(value, { channel: 'TEXT' }));
        expectWellFormed(parseSession(value));
        expectWellFormed(parseResult(value));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('when given objects with __proto__ and other tricky keys in plausible places, then nothing throws or pollutes', () => {
    fc.assert(
      fc.property(fc.oneof(hostilePayload, jsonObjectWithTrickyKeys), (value) => {
        expectWellFormed(validateDocument(value, { channel: 'VOICE' }));
        expectWellFormed(parseSession(value));
        expectWellFormed(parseResult(value));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('hostile sizes', () => {
  const deepArray = JSON.parse(`${'['.repeat(20000)}${']'.repeat(20000)}`) as unknown;
  const deepObject = JSON.parse(`${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`) as unknown;

  it.each([
    ['a deep array as a say body', { tropo: [{ say: deepArray }] }],
    ['a deep object under an unknown key', { tropo: [{ say: { value: 'x', extra: deepObject } }] }],
    ['a deep object as a whole element', { tropo: [deepObject] }],
    ['a deep array as the document', deepArray],
  ])('when validating %s, then it answers without throwing', (_what, input) => {
    expectWellFormed(validateDocument(input));
  });

  it('when session parameters and result actions are nested very deep, then they are refused without throwing', () => {
    // Tropo never nests deeper than a few levels: such a payload is refused before it is read.
    const session = parseSession({
      session: {
        id: 'x',
        userType: 'NONE',
        parameters: { deep: deepObject, wide: deepArray },
        headers: deepArray,
      },
    });
    expectWellFormed(session);
    expect(session.ok).toBe(false);
    expect(session.issues[0]?.message).toMatch(/nested deeper than/);
    const result = parseResult({
      result: { sessionId: 'x', actions: [deepObject, { name: deepArray }] },
    });
    expectWellFormed(result);
    expect(result.ok).toBe(false);
    expect(result.issues[0]?.message).toMatch(/nested deeper than/);
  });

  it('when a document has a huge array of valid verbs, then it validates them all', () => {
    const verbs = Array.from({ length: 20000 }, (_, i) => ({ say: { value: `line ${i}` } }));
    const validation = validateDocument({ tropo: verbs });
    expect(validation.ok).toBe(true);
    expect(validation.document?.tropo).toHaveLength(20000);
  });

  it('when a say holds a huge array of bad items, then the problems are capped and nothing throws', () => {
    const validation = validateDocument({ tropo: [{ say: new Array(100000).fill(1) }] });
    expect(validation.ok).toBe(false);
    expect(validation.issues.length).toBeLessThanOrEqual(1001);
  });
});
