/** The documents the hand-written baselines answer: the least work that still reads the body and answers what the product answers. */

/** Where the reminder's start document sends Tropo once the call and message are done. */
export const CONTINUE_PATH = '/apps/appointment-reminder/on/confirm';

/** A document in the WebAPI envelope. */
export interface TropoDocument {
  tropo: Record<string, unknown>[];
}

/** Thrown by the builders when a body is not the expected Tropo payload; answered with a 400. */
export class BadBody extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'BadBody';
    this.code = code;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringParam(parameters: unknown, key: string): string {
  const value = field(parameters, key);
  if (typeof value !== 'string' || value === '') {
    throw new BadBody('INVALID_PARAMETERS', `session.parameters.${key} must be a non-empty string`);
  }
  return value;
}

/** The appointment reminder's first document: call `numberToDial`, say `msg`, then continue. */
export function reminderDocument(body: unknown): TropoDocument {
  const session = field(body, 'session');
  if (session === undefined) throw new BadBody('MISSING_SESSION', 'body has no "session"');
  const parameters = field(session, 'parameters');
  return {
    tropo: [
      { call: { to: stringParam(parameters, 'numberToDial') } },
      { say: { value: stringParam(parameters, 'msg') } },
      { on: { event: 'continue', next: CONTINUE_PATH } },
    ],
  };
}

/** The answer given by a result's first action: its value, else its interpretation. */
export function resultAnswer(body: unknown): string {
  const result = field(body, 'result');
  if (result === undefined) throw new BadBody('MISSING_RESULT', 'body has no "result"');
  const actions = field(result, 'actions');
  // Tropo sends an object for one action and an array for several.
  const first: unknown = Array.isArray(actions) ? actions[0] : actions;
  const answer = field(first, 'value') ?? field(first, 'interpretation');
  return typeof answer === 'string' ? answer : 'nothing';
}

/** The reminder's continuation: acknowledge the answer, then hang up. */
export function continuationDocument(body: unknown): TropoDocument {
  return {
    tropo: [
      { say: { value: `Thank you, we noted ${resultAnswer(body)}. Goodbye.` } },
      { hangup: {} },
    ],
  };
}

/** The static app's document, the classic "hello world". */
export const STATIC_DOCUMENT: TropoDocument = {
  tropo: [{ say: { value: 'Hello, World.' } }, { hangup: {} }],
};

/** The error body of the product's contract: `{"error":{"code","message","issues"}}`. */
export function errorBody(code: string, message: string): { error: Record<string, unknown> } {
  return { error: { code, message, issues: [] } };
}

/** The content type every document is answered with (Tropo needs the charset). */
export const JSON_TYPE = 'application/json; charset=utf-8';
