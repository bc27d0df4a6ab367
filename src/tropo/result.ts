/** Reading every later POST, `{"result":{…}}` (and the transcription callback), into a normalised, typed `Result` (spec §7). */
import * as z from 'zod';
import { describeValue, type Parsed, type Segment } from './issues';
import { hasOwn, isObject, setOwn, type JsonObject } from './json';
import { payloadLimitProblem } from './limits';
import {
  nullableNumberLike,
  nullableStringLike,
  numberLike,
  PayloadReader,
  plainBoolean,
  plainString,
  stringLike,
  sessionIdProblem,
} from './read';

/**
 * What one verb reported: the fields below when Tropo sends them (dispositions in upper case),
 * and any other field exactly as it came.
 */
export interface Action {
  name?: string;
  /** `SUCCESS`, `NOMATCH`, `TIMEOUT`, `HANGUP`, `FAILED`…, always upper case. */
  disposition?: string;
  attempts?: number;
  confidence?: number;
  interpretation?: string;
  utterance?: string;
  value?: string;
  concept?: string;
  xml?: string;
  uploadStatus?: string;
  duration?: number;
  connectedDuration?: number;
  url?: string;
  timestamp?: string;
  calledid?: string;
  userType?: string;
  [field: string]: unknown;
}

/** The body of a transcription callback: the text, Tropo's guid, and the id given in `transcription.id`. */
export interface TranscriptionCallback {
  text: string;
  guid: string | null;
  identifier: string | null;
}

/** A result, normalised: actions always a list, state always upper case under its current name. */
export interface Result {
  /** `result` for the POST to a `next` URL, `transcription` for a transcription callback. */
  kind: 'result' | 'transcription';
  /** The session's id; empty for transcription callbacks, which carry none. */
  sessionId: string;
  callId: string | null;
  /** `ANSWERED`, `DISCONNECTED`, `FAILED`…; from `callState` in 2010-era payloads; empty if absent. */
  state: string;
  sessionDuration: number | null;
  sequence: number | null;
  complete: boolean;
  error: string | null;
  calledid?: string;
  /** Machine-detection outcome: `HUMAN`, `MACHINE`, `NIL`, `FAX`. */
  userType?: string;
  actions: Action[];
  transcription?: TranscriptionCallback;
}

const STRING_FIELDS = [
  'name',
  'disposition',
  'interpretation',
  'utterance',
  'value',
  'concept',
  'xml',
  'uploadStatus',
  'url',
  'timestamp',
  'calledid',
  'userType',
] as const;
const NUMBER_FIELDS = ['attempts', 'confidence', 'duration', 'connectedDuration'] as const;
const UPPER_CASE_FIELDS = new Set(['disposition', 'userType']);

const nullableString = nullableStringLike;
const nullableNumber = nullableNumberLike;

function readAction(
  reader: PayloadReader,
  value: unknown,
  at: readonly Segment[],
): Action | undefined {
  if (!isObject(value)) {
    reader.warn(at, `expected an action object; got ${describeValue(value)} (ignored)`);
    return undefined;
  }
  // Known fields are read first, in a fixed order (the order their warnings are listed in)...
  READ.clear();
  for (const key of STRING_FIELDS) readKnown(reader, value, key, stringLike, at);
  for (const key of NUMBER_FIELDS) readKnown(reader, value, key, numberLike, at);
  // ...then the action is built once, in the input's key order, without a field that was
  // dropped: a `delete` would turn every such object into a slow dictionary.
  const action: Action = {};
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key)) setOwn(action, key, value[key]);
    else if (READ.has(key)) action[key] = READ.get(key);
  }
  return action;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set([...STRING_FIELDS, ...NUMBER_FIELDS]);
/** The known fields of the action being read and what they read as (reused: reading is synchronous). */
const READ = new Map<string, string | number>();

/** Reads one known field of an action into READ (a module function: no closure per action). */
function readKnown(
  reader: PayloadReader,
  value: JsonObject,
  key: string,
  schema: z.ZodType<string | number>,
  at: readonly Segment[],
): void {
  if (!hasOwn(value, key)) return;
  const read = reader.field(value, key, schema, at);
  if (read === undefined) return;
  READ.set(key, typeof read === 'string' && UPPER_CASE_FIELDS.has(key) ? read.toUpperCase() : read);
}

function readActions(reader: PayloadReader, result: JsonObject): Action[] {
  const value = result.actions;
  if (value === undefined || value === null) return [];
  // One verb reported: an object; several: an array (spec §7.1).
  if (!Array.isArray(value)) {
    const action = readAction(reader, value, ['result', 'actions']);
    return action === undefined ? [] : [action];
  }
  const actions: Action[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const action = readAction(reader, value[i], ['result', 'actions', i]);
    if (action !== undefined) actions.push(action);
  }
  return actions;
}

function readTranscription(reader: PayloadReader, result: JsonObject): Parsed<Result> {
  const at: Segment[] = ['result'];
  const text = result.transcription;
  if (typeof text !== 'string') {
    reader.error(
      ['result', 'transcription'],
      `expected the transcription text; got ${describeValue(text)}`,
    );
    return { ok: false, issues: reader.issues };
  }
  return {
    ok: true,
    value: {
      kind: 'transcription',
      sessionId: '',
      callId: null,
      state: '',
      sessionDuration: null,
      sequence: null,
      complete: true,
      error: null,
      actions: [],
      transcription: {
        text,
        guid: reader.field(result, 'guid', nullableString, at) ?? null,
        identifier: reader.field(result, 'identifier', nullableString, at) ?? null,
      },
    },
    issues: reader.issues,
  };
}

/**
 * Reads a result POST body, or a transcription callback. Fails only when there is no `result`
 * object or no `sessionId` (no transcription text for a callback); other fields of the wrong type
 * are dropped with a warning. Never throws.
 */
export function parseResult(body: unknown): Parsed<Result> {
  const reader = new PayloadReader();
  if (!isObject(body) || !isObject(body.result)) {
    if (isObject(body) && hasOwn(body, 'session')) {
      reader.error(
        ['result'],
        'this is a session payload (the first POST of a session), not a result',
      );
    } else if (isObject(body)) {
      reader.error(['result'], `expected a "result" object; got ${describeValue(body.result)}`);
    } else {
      reader.error([], `expected an object like {"result":{…}}; got ${describeValue(body)}`);
    }
    return { ok: false, issues: reader.issues };
  }
  const tooLarge = payloadLimitProblem(body.result);
  if (tooLarge) {
    reader.error(['result', ...tooLarge.path], tooLarge.message);
    return { ok: false, issues: reader.issues };
  }
  const r = body.result;
  const at: Segment[] = ['result'];
  if (!hasOwn(r, 'sessionId') && hasOwn(r, 'transcription')) return readTranscription(reader, r);

  const sessionId = r.sessionId;
  const idProblem =
    sessionId === undefined ? 'missing required field "sessionId"' : sessionIdProblem(sessionId);
  if (idProblem !== undefined || typeof sessionId !== 'string') {
    reader.error(['result', 'sessionId'], idProblem ?? 'expected a string');
    return { ok: false, issues: reader.issues };
  }

  // 2010-era payloads call the state `callState`.
  const stateKey = hasOwn(r, 'state') ? 'state' : 'callState';
  const state = reader.field(r, stateKey, plainString, at)?.toUpperCase();
  if (state === undefined && !hasOwn(r, stateKey))
    reader.warn([...at, 'state'], 'missing field "state"');

  const result: Result = {
    kind: 'result',
    sessionId,
    callId: reader.field(r, 'callId', nullableString, at) ?? null,
    state: state ?? '',
    sessionDuration: reader.field(r, 'sessionDuration', nullableNumber, at) ?? null,
    sequence: reader.field(r, 'sequence', nullableNumber, at) ?? null,
    complete: reader.field(r, 'complete', plainBoolean, at) ?? true,
    error: reader.field(r, 'error', nullableString, at) ?? null,
    actions: readActions(reader, r),
  };
  const calledid = reader.field(r, 'calledid', stringLike, at);
  if (calledid !== undefined) result.calledid = calledid;
  const userType = reader.field(r, 'userType', plainString, at);
  if (userType !== undefined) result.userType = userType.toUpperCase();
  return { ok: true, value: result, issues: reader.issues };
}

/** The first action with this name (the verb's `name`), if Tropo reported one. */
export function findAction(result: Pick<Result, 'actions'>, name: string): Action | undefined {
  return result.actions.find((action) => action.name === name);
}

/** True when the action's disposition is `disposition`, compared without regard to case. */
export function hasDisposition(action: Action | undefined, disposition: string): boolean {
  return action?.disposition?.toUpperCase() === disposition.toUpperCase();
}
