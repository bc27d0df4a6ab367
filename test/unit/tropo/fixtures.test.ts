/** The shared test vectors (spec §11), read through the real validator and parsers. */
import { existsSync } from 'node:fs';
import { parseResult, parseSession, validateDocument } from '../../../src/tropo';
import { loadVectors, SHARED_VECTORS_PATH, vectorsOfKind } from '../../helpers/vectors';

const appResponses = vectorsOfKind('app-response');
const sessions = vectorsOfKind('tropo-session');
const results = vectorsOfKind('tropo-result');
const transcriptions = vectorsOfKind('tropo-transcription');

describe('test vectors', () => {
  it('when the copy is loaded, then it holds every kind the spec lists', () => {
    expect(appResponses).toHaveLength(34);
    expect(sessions).toHaveLength(9);
    expect(results).toHaveLength(9);
    expect(transcriptions).toHaveLength(1);
  });

  // The copy keeps the tests independent of ../shared; when the original is there, they must agree.
  (existsSync(SHARED_VECTORS_PATH) ? it : it.skip)(
    'when the shared original is present, then the copy has the same vectors',
    () => {
      expect(loadVectors()).toEqual(loadVectors(SHARED_VECTORS_PATH));
    },
  );

  it.each(appResponses)(
    'when validating the app response "$description", then it is valid',
    ({ body }) => {
      const validation = validateDocument(body);
      expect(validation.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      expect(validation.ok).toBe(true);
      // Normal form is a fixed point: validating it again changes nothing and warns about no key.
      const again = validateDocument(validation.document);
      expect(again.document).toEqual(validation.document);
      expect(again.issues.filter((issue) => /key/.test(issue.message))).toEqual([]);
    },
  );

  it.each(sessions)(
    'when parsing the session "$description", then it parses without errors',
    ({ body }) => {
      const parsed = parseSession(body);
      expect(parsed.issues).toEqual([]);
      expect(parsed.ok).toBe(true);
    },
  );

  it.each([...results, ...transcriptions])(
    'when parsing the result "$description", then it parses without errors',
    ({ body }) => {
      const parsed = parseResult(body);
      expect(parsed.issues).toEqual([]);
      expect(parsed.ok).toBe(true);
    },
  );

  it('when parsing the sessions, then their kinds are voice, text and token as the descriptions say', () => {
    const kinds = sessions.map(({ body }) => {
      const parsed = parseSession(body);
      return parsed.ok ? parsed.value.kind : 'failed';
    });
    expect(kinds).toEqual([
      'voice',
      'text',
      'token',
      'voice',
      'text',
      'token',
      'text',
      'token',
      'token',
    ]);
  });
});
