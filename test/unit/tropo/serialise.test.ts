/** The wire writer: envelope, normal form, and refusal to write invalid documents. */
import {
  document,
  hangup,
  isTropoDocumentError,
  say,
  serialise,
  serialiseValidated,
  TropoDocumentError,
  validateDocument,
  type Verb,
} from '../../../src/tropo';

describe('serialise', () => {
  it('when given a list of verbs, then it writes the {"tropo":[…]} envelope', () => {
    expect(serialise([say('Hello'), hangup()])).toBe(
      '{"tropo":[{"say":[{"value":"Hello"}]},{"hangup":{}}]}',
    );
  });

  it('when given a document, then it writes the same as for its verbs', () => {
    expect(serialise(document([say('Hi')]))).toBe(serialise([say('Hi')]));
  });

  it('when fields are undefined or unknown, then they are left out', () => {
    const verb = { say: [{ value: 'x', voice: undefined, colour: 'red' }] } as unknown as Verb;
    expect(serialise([verb])).toBe('{"tropo":[{"say":[{"value":"x"}]}]}');
  });

  it('when the document has errors, then it throws TropoDocumentError carrying only the errors', () => {
    const bad = [{ say: [{ value: 5, colour: 'red' }] }, { wait: {} }] as unknown as Verb[];
    let caught: unknown;
    try {
      serialise(bad);
    } catch (error) {
      caught = error;
    }
    expect(isTropoDocumentError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(TropoDocumentError);
    const error = caught as TropoDocumentError;
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'tropo[0].say[0].value',
      'tropo[1].wait.milliseconds',
    ]);
    expect(error.message).toBe(
      'invalid Tropo document: tropo[0].say[0].value: expected a string; got 5 (and 1 more)',
    );
    expect(isTropoDocumentError(new Error('x'))).toBe(false);
  });

  it('when the document only has warnings, then it is written', () => {
    expect(() => serialise([hangup(), say('never heard')])).not.toThrow();
  });

  it('when a document was just validated, then serialiseValidated writes it without checking again', () => {
    const validation = validateDocument({ tropo: [{ say: { value: 'Hi' } }] });
    expect(validation.document).toBeDefined();
    if (validation.document) {
      expect(serialiseValidated(validation.document)).toBe('{"tropo":[{"say":[{"value":"Hi"}]}]}');
      expect(serialiseValidated(validation.document.tropo)).toBe(
        serialiseValidated(validation.document),
      );
    }
  });
});
