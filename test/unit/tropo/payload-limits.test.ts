/** Inbound payloads are held to shape limits before any schema work, and warnings stop at a limit. */
import { parseResult, parseSession } from '../../../src/tropo';
import { PAYLOAD_LIMITS, payloadLimitProblem } from '../../../src/tropo/limits';
import { MAX_PAYLOAD_WARNINGS } from '../../../src/tropo/read';
import { fixture } from '../../helpers/test-app';

type Body = { session: Record<string, unknown>; result: Record<string, unknown> };
const session = () => fixture<Body>('requests/reminder-session.json');
const result = () => fixture<Body>('requests/confirm-pressed-1-result.json');

describe('payload limits', () => {
  it('when a payload keeps every limit, then no problem is found', () => {
    expect(payloadLimitProblem(session())).toBeUndefined();
    expect(payloadLimitProblem(result())).toBeUndefined();
  });

  it.each([
    ['an array', { a: Array(PAYLOAD_LIMITS.maxArrayItems + 1).fill(0) }, 'a', /array of 257 items/],
    [
      'an object',
      { o: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, i])) },
      'o',
      /object of 257 keys/,
    ],
    ['a string', { s: 'x'.repeat(PAYLOAD_LIMITS.maxStringLength + 1) }, 's', /string of 65537/],
    ['a key', { ['k'.repeat(PAYLOAD_LIMITS.maxStringLength + 1)]: 1 }, 'k'.repeat(65537), /key of/],
  ])('when %s is too large, then the problem names its path', (_, value, at, message) => {
    const problem = payloadLimitProblem({ deep: [value] });
    expect(problem?.path).toEqual(['deep', 0, at]);
    expect(problem?.message).toMatch(message);
  });

  it('when a payload nests deeper than the limit, then it is refused without a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const problem = payloadLimitProblem(deep);
    expect(problem?.path).toHaveLength(PAYLOAD_LIMITS.maxDepth);
    expect(problem?.message).toMatch(/nested deeper than 32/);
  });

  it('when a session packs 34,000 items into one array, then it is refused as a whole with one error', () => {
    const body = session();
    const parsed = parseSession({
      session: { ...body.session, initialMedia: Array(34_000).fill(1) },
    });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toEqual([
      {
        path: 'session.initialMedia',
        message: 'array of 34000 items, over the 256 accepted',
        severity: 'error',
      },
    ]);
  });

  it('when a result packs 34,000 items into its actions, then it is refused with one error', () => {
    const body = result();
    const parsed = parseResult({ result: { ...body.result, actions: Array(34_000).fill(1) } });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]?.path).toBe('result.actions');
  });

  it('when a payload within the limits holds many invalid values, then only the first warnings are listed', () => {
    const body = result();
    const actions = Array.from({ length: 200 }, () => ({ name: {}, value: [], disposition: {} }));
    const parsed = parseResult({ result: { ...body.result, actions } });
    expect(parsed.ok).toBe(true);
    expect(parsed.issues).toHaveLength(MAX_PAYLOAD_WARNINGS);
    expect(parsed.issues.at(-1)?.message).toMatch(
      /further warnings of this payload are not listed/,
    );
  });
});
