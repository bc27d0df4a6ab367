/**
 * Builds the `{"result":{…}}` document Tropo POSTs to a `next` URL (§7) from the action records the
 * engine collects while it runs one document.
 *
 * Shape rules (§7.1): `complete` is always true, `error` is a string or an explicit null, `actions`
 * is an object for exactly one action, an array for several and absent for none; `calledid` and
 * `userType` appear only when known. Durations are whole seconds. An action's optional fields are
 * written only when the record carries them, so a failed ask reports just name, attempts and
 * disposition (no capture shows more), and a conference reports name, duration and disposition as
 * the 2011 capture does. A verb without a `name` gets no `name` key: no source shows what Tropo
 * reported then.
 */
import type { Clock } from './ids';
import { systemClock } from './ids';

/** Call states a result can report (§7.1); other strings pass through. */
export type CallState =
  | 'ANSWERED'
  | 'DISCONNECTED'
  | 'FAILED'
  | 'RINGING'
  | 'ANSWERING'
  | 'REJECTED'
  | 'REDIRECTED'
  | (string & {});

/** Dispositions seen in the docs and captures (§7.2); other strings pass through. */
export type Disposition =
  | 'SUCCESS'
  | 'NOMATCH'
  | 'TIMEOUT'
  | 'HANGUP'
  | 'FAILED'
  | 'BUSY'
  | 'REJECTED'
  | 'EXTERNAL_EVENT'
  | (string & {});

/** Machine-detection classifications (§5.3). */
export type MachineUserType = 'HUMAN' | 'MACHINE' | 'NIL' | 'FAX';

/** What an `ask` reported; the recognition fields are present after a successful match. */
export interface AskActionRecord {
  verb: 'ask';
  name?: string | undefined;
  attempts: number;
  disposition: Disposition;
  confidence?: number | undefined;
  interpretation?: string | undefined;
  utterance?: string | undefined;
  value?: string | undefined;
  concept?: string | undefined;
  xml?: string | undefined;
}

/** What a `call` or `transfer` reported. */
export interface ConnectActionRecord {
  verb: 'call' | 'transfer';
  name?: string | undefined;
  /** Seconds from dialling to the end of the leg. */
  duration: number;
  /** Seconds the legs were connected. */
  connectedDuration: number;
  disposition: Disposition;
  /** ISO-8601 time the leg started. */
  timestamp: string;
  /** The far end's id. */
  calledid?: string | undefined;
  /** Present when machine detection ran. */
  userType?: MachineUserType | undefined;
}

/** What a `conference` reported. */
export interface ConferenceActionRecord {
  verb: 'conference';
  name?: string | undefined;
  duration: number;
  disposition: Disposition;
}

/** What a `record` reported. */
export interface RecordActionRecord {
  verb: 'record';
  name?: string | undefined;
  attempts: number;
  disposition: Disposition;
  uploadStatus?: string | undefined;
  /** URL of Tropo's temporary local copy of the recording. */
  value?: string | undefined;
  duration?: number | undefined;
  /** The upload destination. */
  url?: string | undefined;
}

/** What a `say` or `message` reported. */
export interface SayActionRecord {
  verb: 'say' | 'message';
  name?: string | undefined;
  disposition: Disposition;
}

/** One verb's outcome, as the engine accumulates it while executing a document. */
export type ActionRecord =
  | AskActionRecord
  | ConnectActionRecord
  | ConferenceActionRecord
  | RecordActionRecord
  | SayActionRecord;

/** One action as it appears on the wire. */
export type WireAction = Record<string, string | number>;

/** `result` as it appears on the wire. */
export interface WireResult {
  sessionId: string;
  callId: string | null;
  state: CallState;
  sessionDuration: number;
  sequence: number;
  complete: true;
  error: string | null;
  calledid?: string;
  userType?: string;
  actions?: WireAction | WireAction[];
}

/** The body of a result POST. */
export interface ResultPayload {
  result: WireResult;
}

/** Everything one result needs. */
export interface ResultInput {
  sessionId: string;
  /** The call the document ran on; null when no call exists (e.g. a token session before `call`). */
  callId: string | null;
  state: CallState;
  /** Seconds since the session started; rounded down to a whole number. */
  sessionDuration: number;
  /** 1 for the first result POST of the session. */
  sequence: number;
  error?: string | null | undefined;
  calledid?: string | undefined;
  userType?: MachineUserType | undefined;
  actions: readonly ActionRecord[];
}

function wholeSeconds(label: string, seconds: number): number {
  if (!Number.isFinite(seconds))
    throw new RangeError(`${label} must be a finite number of seconds`);
  return Math.max(0, Math.round(seconds));
}

/** Adds `key` only when the record carries a value, keeping the wire free of undefined keys. */
function put(target: WireAction, key: string, value: string | number | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Renders one action record in the field order of the captures (§7.3). */
export function wireAction(record: ActionRecord): WireAction {
  const out: WireAction = {};
  put(out, 'name', record.name);
  switch (record.verb) {
    case 'ask':
      out.attempts = record.attempts;
      out.disposition = record.disposition;
      put(out, 'confidence', record.confidence);
      put(out, 'interpretation', record.interpretation);
      put(out, 'utterance', record.utterance);
      put(out, 'concept', record.concept);
      put(out, 'value', record.value);
      put(out, 'xml', record.xml);
      break;
    case 'call':
    case 'transfer':
      out.duration = wholeSeconds('duration', record.duration);
      out.connectedDuration = wholeSeconds('connectedDuration', record.connectedDuration);
      out.disposition = record.disposition;
      out.timestamp = record.timestamp;
      put(out, 'calledid', record.calledid);
      put(out, 'userType', record.userType);
      break;
    case 'conference':
      out.duration = wholeSeconds('duration', record.duration);
      out.disposition = record.disposition;
      break;
    case 'record':
      out.attempts = record.attempts;
      out.disposition = record.disposition;
      put(out, 'uploadStatus', record.uploadStatus);
      put(out, 'value', record.value);
      put(
        out,
        'duration',
        record.duration === undefined ? undefined : wholeSeconds('duration', record.duration),
      );
      put(out, 'url', record.url);
      break;
    case 'say':
    case 'message':
      out.disposition = record.disposition;
      break;
  }
  return out;
}

/** Builds one result document (§7). */
export function buildResult(input: ResultInput): ResultPayload {
  if (!Number.isInteger(input.sequence) || input.sequence < 1) {
    throw new RangeError(`sequence must be a whole number >= 1, got ${input.sequence}`);
  }
  if (!Number.isFinite(input.sessionDuration)) {
    throw new RangeError('sessionDuration must be a finite number of seconds');
  }
  const result: WireResult = {
    sessionId: input.sessionId,
    callId: input.callId,
    state: input.state,
    sessionDuration: Math.max(0, Math.floor(input.sessionDuration)),
    sequence: input.sequence,
    complete: true,
    error: input.error ?? null,
  };
  if (input.calledid !== undefined) result.calledid = input.calledid;
  if (input.userType !== undefined) result.userType = input.userType;
  const actions = input.actions.map(wireAction);
  const [only] = actions;
  if (actions.length === 1 && only) result.actions = only;
  else if (actions.length > 1) result.actions = actions;
  return { result };
}

/** One document's outcome; the session-level fields come from the `ResultSequence`. */
export type DocumentOutcome = Omit<ResultInput, 'sessionId' | 'sequence' | 'sessionDuration'>;

/** Builds successive results of one session, numbering them and timing them from its start. */
export class ResultSequence {
  private posted = 0;

  /** `startedAt` is the session's start in epoch milliseconds, read from the same clock. */
  constructor(
    readonly sessionId: string,
    private readonly startedAt: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** How many results have been built so far. */
  get count(): number {
    return this.posted;
  }

  /** Builds the next result; its `sequence` is one more than the previous one's. */
  next(outcome: DocumentOutcome): ResultPayload {
    const payload = buildResult({
      ...outcome,
      sessionId: this.sessionId,
      sequence: this.posted + 1,
      sessionDuration: (this.clock() - this.startedAt) / 1000,
    });
    this.posted += 1;
    return payload;
  }
}

/** Turns a successful grammar match into the ask record the result reports. */
export function askSuccess(
  name: string | undefined,
  attempts: number,
  match: {
    confidence: number;
    interpretation: string;
    utterance: string;
    value: string;
    concept: string;
    xml: string;
  },
): AskActionRecord {
  return {
    verb: 'ask',
    name,
    attempts,
    disposition: 'SUCCESS',
    confidence: match.confidence,
    interpretation: match.interpretation,
    utterance: match.utterance,
    value: match.value,
    concept: match.concept,
    xml: match.xml,
  };
}
