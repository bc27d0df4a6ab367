/**
 * The transcript of one simulated session: every HTTP exchange with the app and a readable account
 * of what Tropo, the caller and the app did, with secrets and log-suppressed text already hidden
 * when each entry is recorded (DESIGN §7, §5.5 of the spec).
 */
import type { Issue } from '../tropo';
import { redactJson, redactSecrets } from './url';

/** Who a line is about, for colouring and filtering. */
export type Actor = 'tropo' | 'caller' | 'app' | 'simulator';

/** How much a line matters. */
export type LineLevel = 'info' | 'warning' | 'error';

/** One sentence of the readable account. */
export interface TranscriptLine {
  /** Seconds since the session started, in simulated time. */
  at: number;
  actor: Actor;
  level: LineLevel;
  text: string;
  /** The exchange this line is about, by index in `exchanges`. */
  exchange?: number;
}

/** Why an exchange did not yield a usable document. */
export type FailureKind =
  'timeout' | 'network' | 'status' | 'not-json' | 'invalid-document' | 'bad-url';

/** One POST Tropo made, and the answer. */
export interface TranscriptExchange {
  index: number;
  /** Seconds since the session started when the request was sent. */
  at: number;
  /** `session` for the first POST, `result` for every `next`, `connect-post` for a transfer's `post`. */
  purpose: 'session' | 'result' | 'connect-post';
  method: 'POST';
  url: string;
  /** The JSON body as sent, redacted. */
  request: unknown;
  response?: {
    status: number;
    contentType: string | null;
    /** The body as received, redacted (re-serialised when log-suppressed text had to be hidden). */
    body: string;
    truncated: boolean;
    durationMs: number;
    /** The body exactly as the app sent it, unredacted: only when asked for (`--raw`). */
    raw?: string;
    /** The `x-error-id` header: the server answered its fallback document. */
    errorId?: string;
  };
  failure?: { kind: FailureKind; message: string };
  /** What our validator said about the document (errors and warnings). */
  issues?: Issue[];
}

/** How a session ended: normally, because the app failed, or because a limit stopped it. */
export type OutcomeStatus = 'completed' | 'app-failed' | 'limit-reached';

/** The end of the session. */
export interface TranscriptOutcome {
  status: OutcomeStatus;
  /** How it ended, in words ("the app hung up", "the caller hung up", …). */
  reason: string;
  /** The last call state (`DISCONNECTED`, `FAILED`, `REJECTED`…), or null when no call ever existed. */
  state: string | null;
  /** Every app failure seen during the session, in order. */
  failures: string[];
  /** When the simulator itself crashed: the error's stack and its causes', so the bug can be found. */
  cause?: string;
}

/** One `ctx.outcome` the app reported to the (simulated) campaign that launched the session. */
export interface TranscriptReport {
  /** Seconds since the session started. */
  at: number;
  outcome: string;
  /** False for a report after the first: a campaign keeps only an attempt's first outcome. */
  recorded: boolean;
  /** The transcript line that shows it, by index in `lines`. */
  line: number;
}

/** The whole record of one simulated session. */
export interface Transcript {
  sessionId: string;
  kind: 'voice' | 'text' | 'token';
  startUrl: string;
  /** ISO-8601 time the session started. */
  startedAt: string;
  /** Seconds of simulated time the session lasted (so far, while it runs). */
  sessionDuration: number;
  /** Documents received from the app (valid or not). */
  documents: number;
  /** Result POSTs made. */
  results: number;
  /** Null while the session is still running. */
  outcome: TranscriptOutcome | null;
  /** Only for a session launched like a campaign's: what the app reported, in order ([] if nothing). */
  reported?: TranscriptReport[];
  lines: TranscriptLine[];
  exchanges: TranscriptExchange[];
}

/** What stands in for text that `promptLogSecurity`, `asrLogSecurity` or `generalLogSecurity` hides. */
export const SUPPRESSED = '[SUPPRESSED]';

/** Collects a transcript, hiding the known secrets in everything recorded. */
export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  readonly exchanges: TranscriptExchange[] = [];
  private readonly secrets: string[];

  constructor(secrets: readonly string[]) {
    this.secrets = secrets.filter((s) => s.length > 0);
  }

  /** Adds a secret learnt during the session (e.g. a recording password). */
  addSecret(secret: string): void {
    if (secret.length > 0 && !this.secrets.includes(secret)) this.secrets.push(secret);
  }

  /** Hides the known secrets in a text. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /** Records a line of the readable account. */
  line(at: number, actor: Actor, text: string, level: LineLevel = 'info', exchange?: number): void {
    const entry: TranscriptLine = { at: roundSeconds(at), actor, level, text: this.redact(text) };
    if (exchange !== undefined) entry.exchange = exchange;
    this.lines.push(entry);
  }

  /** Records a request; returns the exchange so the answer can be added to it. */
  request(
    at: number,
    purpose: TranscriptExchange['purpose'],
    url: string,
    body: unknown,
  ): TranscriptExchange {
    const exchange: TranscriptExchange = {
      index: this.exchanges.length,
      at: roundSeconds(at),
      purpose,
      method: 'POST',
      url: this.redact(url),
      request: redactJson(body, this.secrets),
    };
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Adds the answer to an exchange. */
  response(
    exchange: TranscriptExchange,
    answer: NonNullable<TranscriptExchange['response']>,
  ): void {
    exchange.response = { ...answer, body: this.redact(answer.body) };
  }

  /** Notes why an exchange gave no usable document. */
  failure(exchange: TranscriptExchange, kind: FailureKind, message: string): void {
    exchange.failure = { kind, message: this.redact(message) };
  }
}

/** Simulated seconds, kept to a tenth so transcripts stay readable and stable. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

const PROMPT_KEYS = new Set(['value', 'introduction', 'media']);

function isSuppress(value: unknown): boolean {
  return typeof value === 'string' && value.toLowerCase() === 'suppress';
}

function hidePrompts(node: unknown, inherited: boolean): { value: unknown; changed: boolean } {
  if (Array.isArray(node)) {
    let changed = false;
    const value = node.map((item) => {
      const out = hidePrompts(item, inherited);
      changed ||= out.changed;
      return out.value;
    });
    return { value, changed };
  }
  if (node === null || typeof node !== 'object') return { value: node, changed: false };
  const record = node as Record<string, unknown>;
  const hidden = inherited || isSuppress(record.promptLogSecurity);
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (hidden && PROMPT_KEYS.has(key) && (typeof value === 'string' || Array.isArray(value))) {
      out[key] = SUPPRESSED;
      changed = true;
    } else {
      const inner = hidePrompts(value, hidden);
      out[key] = inner.value;
      changed ||= inner.changed;
    }
  }
  return { value: out, changed };
}

/**
 * Hides the prompt text a document asks Tropo not to log: every say/prompt `value` (and machine
 * detection `introduction`, MMS `media`) under a `promptLogSecurity: "suppress"`, and all of them
 * from a `generalLogSecurity: "suppress"` element on (until one says `"none"`). `suppressedAtStart`
 * carries the session's `generalLogSecurity` state into the document. Returns null when nothing
 * had to be hidden, so the body can be kept byte for byte.
 */
export function suppressDocumentText(document: unknown, suppressedAtStart: boolean): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return null;
  const tropo = (document as Record<string, unknown>).tropo;
  if (!Array.isArray(tropo)) return null;
  let general = suppressedAtStart;
  let changed = false;
  const elements = tropo.map((element: unknown) => {
    if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
      const level = (element as Record<string, unknown>).generalLogSecurity;
      if (typeof level === 'string') {
        general = isSuppress(level);
        return element;
      }
    }
    const out = hidePrompts(element, general);
    changed ||= out.changed;
    return out.value;
  });
  return changed ? { ...document, tropo: elements } : null;
}

/** Masks recognised input with an `asrLogSecurity: "mask"` template: X hides a character, D shows it. */
export function maskInput(text: string, template: string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const rule = template?.[i];
    // Past the template's end nothing more is shown: a short template must not reveal a long input.
    out += rule === undefined || rule === 'X' || rule === 'x' ? '*' : (text[i] ?? '');
  }
  return out;
}
