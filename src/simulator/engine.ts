/**
 * The simulator's engine: plays Tropo's side of one session against an app over HTTP (§1, §9) —
 * POSTs the session, executes each document's verbs in order against a caller script, follows the
 * `on` handlers, POSTs results to `next` URLs — and records everything in a transcript.
 *
 * Time is simulated: verbs take the time they would take on a call (prompts are spoken at about
 * 2.5 words a second, a ringing leg is answered after 5 s, a caller answers an ask after 2 s,
 * silence lasts the ask's `timeout`), plus the real time each HTTP exchange takes, so a session of
 * several minutes plays in milliseconds and `sessionDuration` still means something. Decisions
 * where the sources are silent are noted where they are made; the main ones:
 * - `say` never reports an action (captures of documents with says and asks list only the asks);
 *   `call` and `message` report one only when their leg fails; ask, record, transfer and conference
 *   always do.
 * - Event prompts (`nomatch`, `nomatch:N`, `timeout`) are played before the next attempt, followed
 *   by the main prompt again (VoiceXML reprompting); after the last attempt nothing is played.
 * - `required: false` on a verb that fails lets the document go on instead of firing `incomplete`.
 * - When the app fails (no answer in time, non-2xx, not JSON, invalid document) Tropo POSTs to the
 *   `error` handler of the document that sent it there, once, if it has one; otherwise it hangs up.
 */
import {
  type AskBody,
  type CallBody,
  type ConferenceBody,
  type MessageBody,
  type NormalDocument,
  type OnBody,
  type RecordBody,
  type SayItem,
  type StartRecordingBody,
  type TransferBody,
  type Verb,
  validateDocument,
} from '../tropo';
import { TEXT_NETWORKS } from '../tropo/fields';
import { matchGrammar, parseGrammar, toCallerInput } from './grammar';
import { createPoster, type FetchLike, type PostJson } from './http';
import {
  type Clock,
  type RandomBytes,
  isoTimestamp,
  newTropoId,
  systemClock,
  systemRandomBytes,
} from './ids';
import {
  type ActionRecord,
  type MachineUserType,
  type ResultPayload,
  ResultSequence,
  askSuccess,
  buildResult,
} from './result-builder';
import { type CallerScript, DEFAULT_SCRIPT, InputQueue, type ScriptedInput } from './script';
import { type SessionPayload, type SessionSpec, callerId, createSession } from './session-factory';
import {
  type Actor,
  type FailureKind,
  type LineLevel,
  type OutcomeStatus,
  type Transcript,
  type TranscriptOutcome,
  SUPPRESSED,
  TranscriptRecorder,
  maskInput,
  roundSeconds,
  suppressDocumentText,
} from './transcript';
import { resolveNextUrl } from './url';

/** A signal (§8.3) that reaches the session at a moment of simulated time. */
export interface ScheduledSignal {
  name: string;
  /** Seconds after the session started. */
  atSeconds: number;
}

/** Bounds that stop a session that would never end. */
export interface SessionLimits {
  /** Documents requested from the app (the session POST and every result POST). */
  maxDocuments: number;
  /** Real time the whole session may take. */
  maxWallMs: number;
  /** Simulated time; Tropo ends sessions after 4 hours (§5.3). */
  maxSessionSeconds: number;
}

/** The limits used when none are given. */
export const DEFAULT_LIMITS: Readonly<SessionLimits> = Object.freeze({
  maxDocuments: 50,
  maxWallMs: 60_000,
  maxSessionSeconds: 4 * 60 * 60,
});

/** How long the simulator waits for an app's answer unless told otherwise (Tropo's own is undocumented, §12). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Everything one simulated session needs. */
export interface EngineOptions {
  /** The app's start URL, e.g. `http://127.0.0.1:3000/start`. */
  startUrl: string;
  /** What starts the session: a specification, or a session document built beforehand. */
  session: SessionSpec | SessionPayload;
  /** What the caller and the far ends do; default: every leg answers, the caller stays silent. */
  script?: CallerScript | undefined;
  /** Signals that reach the session at given moments. */
  signals?: readonly ScheduledSignal[] | undefined;
  /** How to POST; default a `fetch`-based poster. */
  post?: PostJson | undefined;
  /** The `fetch` for the default poster. */
  fetch?: FetchLike | undefined;
  /** Per request; default 10 000 ms. */
  timeoutMs?: number | undefined;
  limits?: Partial<SessionLimits> | undefined;
  /** Wall clock (epoch ms) for timestamps; default `Date.now`. */
  clock?: Clock | undefined;
  /** Monotonic milliseconds for the wall-time limit and HTTP timings; default `performance.now`. */
  monotonic?: (() => number) | undefined;
  random?: RandomBytes | undefined;
  /** More strings to hide in the transcript (the Session API token is always hidden). */
  secrets?: readonly string[] | undefined;
}

/** A session being played. */
export interface SessionHandle {
  sessionId: string;
  /** Resolves with the complete transcript; never rejects. */
  done: Promise<Transcript>;
  /** The transcript so far (outcome null while the session runs). */
  snapshot(): Transcript;
  /** Queues a signal now; false when the session has already ended. */
  signal(name: string): boolean;
}

// Simulated durations, in seconds; see the file comment.
const RING_SECONDS = 5;
const BUSY_SECONDS = 3;
const RESPONSE_SECONDS = 2;
const AUDIO_SECONDS = 3;
const BEEP_SECONDS = 0.5;
const WORDS_PER_SECOND = 2.5;
const DEFAULT_ASK_TIMEOUT = 30;
const DEFAULT_LEG_TIMEOUT = 30;
const DEFAULT_RECORD_TIMEOUT = 30;
const RECORDINGS_HOST = 'http://recordings.simulator.invalid';

type CallState =
  'NONE' | 'RINGING' | 'ANSWERED' | 'DISCONNECTED' | 'FAILED' | 'REJECTED' | 'REDIRECTED';

type Signals = string | string[] | undefined;

/** How an action shows in the transcript's copy of a result. */
type Hide = 'none' | 'suppress' | { mask: string | undefined };

interface ActionEntry {
  /** Built when the result is, so a live call reports its duration up to that moment. */
  make: () => ActionRecord;
  hide: Hide;
}

/** One document being executed. */
interface DocumentRun {
  url: string;
  handlers: Map<string, OnBody>;
  actions: ActionEntry[];
  userType: MachineUserType | undefined;
}

/** What a verb leads to. */
type Step =
  | { kind: 'next' }
  | { kind: 'event'; event: string; error?: string | undefined }
  | { kind: 'stop'; reason: string };

/** How a document is left. */
type Leave =
  | { kind: 'post'; url: string; payload: ResultPayload; shown: ResultPayload; run: DocumentRun }
  | { kind: 'end'; reason: string }
  | { kind: 'failed'; reason: string };

/** A POST and what to record of it. */
interface Target {
  url: string;
  payload: SessionPayload | ResultPayload;
  shown: unknown;
  purpose: 'session' | 'result';
}

type Fetched =
  | { kind: 'document'; document: NormalDocument }
  | { kind: 'failed'; reason: string }
  | { kind: 'limit'; reason: string };

const NEXT: Step = { kind: 'next' };

function event(name: string, error?: string): Step {
  return { kind: 'event', event: name, error };
}

/** True when `allow` (a verb's `allowSignals`) lets signal `name` interrupt it (§4.6). */
export function signalAllowed(allow: Signals, name: string): boolean {
  if (allow === undefined) return true;
  const list = Array.isArray(allow) ? allow : [allow];
  return list.some((entry) => entry === '*' || entry === name);
}

/** Seconds a prompt takes to play: audio files a few seconds, text at a speaking pace. */
export function speakingSeconds(value: string): number {
  if (/^https?:\/\/\S+$/i.test(value.trim())) return AUDIO_SECONDS;
  const words = value
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0).length;
  return words === 0 ? 0 : Math.max(0.5, roundSeconds(words / WORDS_PER_SECOND));
}

/** An address as a person reads it: `tel:+14155551212` → `+14155551212`. */
export function displayAddress(address: string): string {
  return address.trim().replace(/^tel:/i, '');
}

function isSessionPayload(value: SessionSpec | SessionPayload): value is SessionPayload {
  return 'session' in value;
}

function sessionKind(payload: SessionPayload): Transcript['kind'] {
  const s = payload.session;
  if (s.userType === 'NONE') return 'token';
  return s.to.channel === 'TEXT' ? 'text' : 'voice';
}

function eventTokens(event: string): string[] {
  return event
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Say items for an event: `nomatch`/`timeout` alone or with the number of the failed attempt. */
function eventItems(items: readonly SayItem[], kind: string, attempt: number): SayItem[] {
  return items.filter(
    (item) =>
      item.event !== undefined &&
      eventTokens(item.event).some((t) => t === kind || t === `${kind}:${attempt}`),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function seconds(n: number): string {
  return `${roundSeconds(n)} s`;
}

function verbName(verb: Verb): string {
  return Object.keys(verb)[0] ?? '?';
}

function summarise(document: NormalDocument): string {
  if (document.tropo.length === 0) return 'an empty document';
  return document.tropo
    .map((verb) => ('on' in verb ? `on ${verb.on.event}` : verbName(verb)))
    .join(', ');
}

function requiredFalse(verb: Verb): boolean {
  if ('say' in verb) return verb.say.every((item) => item.required === false);
  const body = Object.values(verb)[0] as unknown;
  return (
    typeof body === 'object' && body !== null && (body as { required?: unknown }).required === false
  );
}

const RECOGNITION_FIELDS = ['interpretation', 'utterance', 'value', 'concept'] as const;

function hideAction(action: Record<string, string | number>, hide: Hide): void {
  if (hide === 'none') return;
  for (const key of RECOGNITION_FIELDS) {
    const value = action[key];
    if (typeof value !== 'string') continue;
    action[key] = hide === 'suppress' ? SUPPRESSED : maskInput(value, hide.mask);
  }
  if (typeof action.xml === 'string') action.xml = SUPPRESSED;
}

/** The transcript's copy of a result, with recognised input hidden where the ask asked for it. */
function hiddenResult(payload: ResultPayload, entries: readonly ActionEntry[]): ResultPayload {
  if (entries.every((e) => e.hide === 'none')) return payload;
  const copy = JSON.parse(JSON.stringify(payload)) as ResultPayload;
  const actions = copy.result.actions;
  const list = actions === undefined ? [] : Array.isArray(actions) ? actions : [actions];
  list.forEach((action, i) => hideAction(action, entries[i]?.hide ?? 'none'));
  return copy;
}

/** Starts playing one session; the returned handle's `done` resolves with the transcript. */
export function startSession(options: EngineOptions): SessionHandle {
  const run = new SessionRun(options);
  const done = run.play();
  return {
    sessionId: run.sessionId,
    done,
    snapshot: () => run.transcript(),
    signal: (name) => run.queueSignal(name),
  };
}

/** Plays one session to its end and resolves with the transcript; never rejects. */
export function simulate(options: EngineOptions): Promise<Transcript> {
  return startSession(options).done;
}

/** The exit status a transcript stands for: 0 ended normally, 1 the app failed or a limit hit. */
export function exitCodeOf(transcript: Transcript): 0 | 1 {
  return transcript.outcome?.status === 'completed' ? 0 : 1;
}

class SessionRun {
  readonly sessionId: string;
  private readonly payload: SessionPayload;
  private readonly kind: Transcript['kind'];
  private readonly startUrl: string;
  private readonly origin: string | undefined;
  private readonly script: CallerScript;
  private readonly inputs: InputQueue;
  private readonly post: PostJson;
  private readonly timeoutMs: number;
  private readonly limits: SessionLimits;
  private readonly random: RandomBytes;
  private readonly monotonic: () => number;
  private readonly startedEpoch: number;
  private readonly startedWall: number;
  private readonly recorder: TranscriptRecorder;
  private readonly results: ResultSequence;
  private readonly signals: ScheduledSignal[];

  /** Simulated seconds since the session started. */
  private t = 0;
  private state: CallState;
  private channel: 'VOICE' | 'TEXT' | null;
  private callId: string | null;
  private calledid: string | undefined;
  /** The far end as people read it: the caller of an inbound session, the callee of an outbound call. */
  private party: string;
  private callEverEnded = false;
  private pendingInitialText: string | null;
  /** generalLogSecurity: persists across documents (§5.5). */
  private suppressing = false;
  /** Grammar activations so far: the `N@` of the NLSML grammar reference. */
  private grammarIndex = 0;
  private recordings = 0;
  private recording: { url: string; format: string | undefined; since: number } | null = null;
  private documents = 0;
  private requests = 0;
  private readonly failures: string[] = [];
  private endedBy: string | undefined;
  private outcome: TranscriptOutcome | null = null;

  constructor(options: EngineOptions) {
    const clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandomBytes;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.payload = isSessionPayload(options.session)
      ? options.session
      : createSession(options.session, { clock, random: this.random });
    const session = this.payload.session;
    this.sessionId = session.id;
    this.kind = sessionKind(this.payload);
    this.startUrl = options.startUrl;
    try {
      this.origin = new URL(options.startUrl).origin;
    } catch {
      this.origin = undefined;
    }
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.inputs = new InputQueue(this.script.inputs);
    this.post = options.post ?? createPoster({ fetch: options.fetch, now: () => this.monotonic() });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // A prebuilt session may carry an odd timestamp; results still need a finite start.
    const stamped = Date.parse(session.timestamp);
    this.startedEpoch = Number.isFinite(stamped) ? stamped : clock();
    this.startedWall = this.monotonic();
    this.results = new ResultSequence(
      this.sessionId,
      this.startedEpoch,
      () => this.startedEpoch + this.t * 1000,
    );
    this.signals = [...(options.signals ?? [])].sort((a, b) => a.atSeconds - b.atSeconds);

    const token = session.userType === 'NONE' ? session.parameters.token : undefined;
    this.recorder = new TranscriptRecorder([...(options.secrets ?? []), ...(token ? [token] : [])]);

    if (session.userType === 'NONE') {
      this.state = 'NONE';
      this.channel = null;
      this.callId = null;
      this.party = 'the callee';
      this.pendingInitialText = null;
    } else {
      const text = session.to.channel === 'TEXT';
      this.state = text ? 'ANSWERED' : 'RINGING';
      this.channel = text ? 'TEXT' : 'VOICE';
      this.callId = session.callId;
      this.calledid = session.to.id;
      this.party = session.from.e164Id || session.from.id;
      this.pendingInitialText = session.initialText;
    }
  }

  // ------------------------------------------------------------------------------------------
  // The session.

  async play(): Promise<Transcript> {
    try {
      await this.loop();
    } catch (error) {
      // A bug in the engine must still give a transcript that says what happened.
      const message = error instanceof Error ? error.message : String(error);
      this.line('simulator', `The simulator failed: ${message}`, 'error');
      this.finish('app-failed', `the simulator failed: ${message}`);
    }
    return this.transcript();
  }

  private async loop(): Promise<void> {
    this.describeStart();
    let target: Target = {
      url: this.startUrl,
      payload: this.payload,
      shown: this.payload,
      purpose: 'session',
    };
    let previous: DocumentRun | null = null;
    let recovering = false;
    for (;;) {
      const fetched = await this.fetchDocument(target);
      if (fetched.kind === 'limit') {
        this.line('simulator', `Stopped: ${fetched.reason}`, 'error');
        this.hangUpAfterFailure();
        this.finish('limit-reached', fetched.reason);
        return;
      }
      if (fetched.kind === 'failed') {
        this.failures.push(fetched.reason);
        const handler = !recovering && previous ? previous.handlers.get('error') : undefined;
        if (previous && handler?.next !== undefined) {
          const resolved = resolveNextUrl(handler.next, previous.url);
          if (resolved.ok && resolved.url !== target.url) {
            this.line('tropo', 'Tropo fires "error"');
            recovering = true;
            const payload = this.results.next({
              callId: this.callId,
              state: this.resultState(),
              error: fetched.reason,
              calledid: this.calledid,
              actions: [],
            });
            target = { url: resolved.url, payload, shown: payload, purpose: 'result' };
            continue;
          }
        }
        if (handler?.say && this.callActive()) this.playHandlerSay(handler.say);
        this.hangUpAfterFailure();
        this.finish('app-failed', `the app failed: ${fetched.reason}`);
        return;
      }
      recovering = false;
      const leave = await this.execute(fetched.document, target.url);
      if (leave.kind === 'end') {
        this.finish(this.failures.length > 0 ? 'app-failed' : 'completed', leave.reason);
        return;
      }
      if (leave.kind === 'failed') {
        this.failures.push(leave.reason);
        this.line('app', `The app failed: ${leave.reason}`, 'error');
        this.hangUpAfterFailure();
        this.finish('app-failed', `the app failed: ${leave.reason}`);
        return;
      }
      previous = leave.run;
      target = { url: leave.url, payload: leave.payload, shown: leave.shown, purpose: 'result' };
    }
  }

  private describeStart(): void {
    const s = this.payload.session;
    if (s.userType === 'NONE') {
      const shown = Object.entries(s.parameters)
        .filter(([key]) => key !== 'token' && key !== 'action')
        .map(([key, value]) => `${key}=${value}`)
        .join(', ');
      this.line(
        'tropo',
        `The Session API starts a session${shown ? ` with ${shown}` : ' without parameters'}`,
      );
    } else if (s.to.channel === 'TEXT') {
      this.line('caller', `${this.party} texts ${s.to.e164Id || s.to.id}: ${s.initialText ?? ''}`);
    } else {
      this.line('caller', `${this.party} calls ${s.to.e164Id || s.to.id}; Tropo lets it ring`);
    }
  }

  private finish(status: OutcomeStatus, reason: string): void {
    if (this.outcome) return;
    this.endRecording('the session ended');
    this.outcome = {
      status,
      reason: this.recorder.redact(reason),
      state: this.state === 'NONE' ? null : this.state,
      failures: this.failures.map((f) => this.recorder.redact(f)),
    };
    this.line(
      'simulator',
      `Session ended after ${seconds(this.t)}: ${reason}`,
      status === 'completed' ? 'info' : 'error',
    );
  }

  transcript(): Transcript {
    return {
      sessionId: this.sessionId,
      kind: this.kind,
      startUrl: this.recorder.redact(this.startUrl),
      startedAt: new Date(this.startedEpoch).toISOString(),
      sessionDuration: Math.floor(this.t),
      documents: this.documents,
      results: this.results.count,
      outcome: this.outcome,
      lines: [...this.recorder.lines],
      exchanges: [...this.recorder.exchanges],
    };
  }

  queueSignal(name: string): boolean {
    if (this.outcome) return false;
    this.signals.push({ name, atSeconds: this.t });
    this.signals.sort((a, b) => a.atSeconds - b.atSeconds);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // HTTP.

  private show(url: string): string {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.origin ? `${parsed.pathname}${parsed.search}` : url;
    } catch {
      return url;
    }
  }

  private limitReached(): string | undefined {
    if (this.requests >= this.limits.maxDocuments) {
      return `the app was asked for ${plural(this.requests, 'document')}, the most one session may take here (a loop?)`;
    }
    if (this.monotonic() - this.startedWall >= this.limits.maxWallMs) {
      return `the session took longer than ${this.limits.maxWallMs} ms of real time`;
    }
    if (this.t >= this.limits.maxSessionSeconds) {
      return `the session lasted ${seconds(this.t)}, longer than a session may (${this.limits.maxSessionSeconds} s)`;
    }
    return undefined;
  }

  private async fetchDocument(target: Target): Promise<Fetched> {
    const limit = this.limitReached();
    if (limit) return { kind: 'limit', reason: limit };
    this.requests += 1;
    const exchange = this.recorder.request(this.t, target.purpose, target.url, target.shown);
    const what =
      target.purpose === 'session'
        ? 'the session'
        : `result #${(target.payload as ResultPayload).result.sequence}`;
    this.line('tropo', `Tropo POSTs ${what} to ${this.show(target.url)}`, 'info', exchange.index);

    const wallLeft = this.limits.maxWallMs - (this.monotonic() - this.startedWall);
    const timeout = Math.max(1, Math.min(this.timeoutMs, wallLeft));
    const answer = await this.post(target.url, JSON.stringify(target.payload), timeout);
    this.t += answer.durationMs / 1000;
    const fail = (kind: FailureKind, reason: string): Fetched => {
      this.recorder.failure(exchange, kind, reason);
      this.line('app', `The app failed: ${reason}`, 'error', exchange.index);
      return { kind: 'failed', reason };
    };
    if (!answer.ok) {
      if (answer.kind === 'timeout' && timeout < this.timeoutMs) {
        this.recorder.failure(exchange, 'timeout', answer.message);
        return {
          kind: 'limit',
          reason: `the session took longer than ${this.limits.maxWallMs} ms of real time`,
        };
      }
      return answer.kind === 'timeout'
        ? fail('timeout', `the app did not answer within ${timeout} ms`)
        : fail('network', `could not reach the app: ${answer.message}`);
    }
    this.documents += 1;
    this.recorder.response(exchange, {
      status: answer.status,
      contentType: answer.contentType,
      body: answer.body,
      truncated: answer.truncated,
      durationMs: Math.round(answer.durationMs),
    });
    if (answer.status < 200 || answer.status > 299) {
      return fail('status', `the app answered HTTP ${answer.status}`);
    }
    if (answer.truncated) {
      return fail('not-json', 'the answer is larger than the simulator reads (1 MiB)');
    }
    let json: unknown;
    try {
      json = JSON.parse(answer.body.replace(/^\uFEFF/, ''));
    } catch {
      const excerpt = answer.body.trim().slice(0, 80);
      return fail(
        'not-json',
        `the answer is not JSON${excerpt ? `: ${excerpt}` : ' (empty body)'}`,
      );
    }
    this.checkContentType(answer.contentType, answer.body, exchange.index);

    const hidden = suppressDocumentText(json, this.suppressing);
    if (hidden !== null && exchange.response) {
      exchange.response.body = this.recorder.redact(JSON.stringify(hidden));
    }
    const channel = this.channel ?? undefined;
    const validation = validateDocument(json, channel ? { channel } : {});
    exchange.issues = validation.issues.map((issue) => ({
      ...issue,
      message: this.recorder.redact(issue.message),
    }));
    if (!validation.ok || !validation.document) {
      const errors = validation.issues.filter((i) => i.severity === 'error');
      const first = errors[0];
      return fail(
        'invalid-document',
        `the document is invalid (${plural(errors.length, 'error')})${first ? `; ${first.path || '(document)'}: ${first.message}` : ''}`,
      );
    }
    this.line(
      'app',
      `The app answers ${answer.status}: ${summarise(validation.document)}`,
      'info',
      exchange.index,
    );
    for (const issue of validation.issues) {
      this.line('simulator', `Warning: ${issue.path}: ${issue.message}`, 'warning', exchange.index);
    }
    return { kind: 'document', document: validation.document };
  }

  private checkContentType(contentType: string | null, body: string, exchange: number): void {
    if (contentType === null) {
      this.line('simulator', 'Warning: the answer has no content-type', 'warning', exchange);
      return;
    }
    if (!/json/i.test(contentType)) {
      this.line(
        'simulator',
        `Warning: the answer's content-type is ${contentType}, not application/json`,
        'warning',
        exchange,
      );
    }
    // §2: without a charset Tropo decodes as Latin-1, which only matters for non-ASCII text.
    if (!/charset=/i.test(contentType) && /[^\x20-\x7e\s]/.test(body)) {
      this.line(
        'simulator',
        'Warning: the answer has non-ASCII text but no charset; Tropo would decode it as Latin-1',
        'warning',
        exchange,
      );
    }
  }

  // ------------------------------------------------------------------------------------------
  // Documents and events.

  private async execute(document: NormalDocument, url: string): Promise<Leave> {
    const run: DocumentRun = { url, handlers: new Map(), actions: [], userType: undefined };
    const verbs: Verb[] = [];
    for (const verb of document.tropo) {
      if ('on' in verb) {
        // Two handlers for one event: the first one is used (the validator warns).
        if (!run.handlers.has(verb.on.event)) run.handlers.set(verb.on.event, verb.on);
      } else {
        verbs.push(verb);
      }
    }
    if (this.state === 'RINGING') {
      // §9.5: Tropo answers once it has the first document, unless that document refuses the call.
      const first = verbs[0];
      const refuses = first && ('redirect' in first || 'reject' in first || 'answer' in first);
      if (!refuses) this.answerCall(undefined);
    }
    for (const verb of verbs) {
      const step = await this.runVerb(verb, run);
      if (step.kind === 'next') continue;
      if (step.kind === 'stop') return { kind: 'end', reason: step.reason };
      if (step.event === 'incomplete' && requiredFalse(verb)) {
        this.line('tropo', `The ${verbName(verb)} is not required: Tropo goes on`);
        continue;
      }
      this.line('tropo', `Tropo fires "${step.event}"`);
      return this.fire(run, step.event, step.error ?? null);
    }
    return this.fire(run, 'continue', null);
  }

  private fire(run: DocumentRun, name: string, error: string | null): Leave {
    const handler = run.handlers.get(name);
    if (!handler) {
      if (name === 'continue') return this.endOfDocument(run, error);
      this.line('tropo', `No handler for "${name}": "continue" is the catch-all`);
      return this.fire(run, 'continue', error);
    }
    if (handler.say) this.playHandlerSay(handler.say);
    if (handler.next !== undefined) return this.leaveTo(run, handler.next, error);
    if (name === 'continue') return this.endOfDocument(run, error);
    // §5.8.2: a handler with a say and no next plays it, then proceeds to continue.
    return this.fire(run, 'continue', error);
  }

  private endOfDocument(run: DocumentRun, error: string | null): Leave {
    if (this.callActive()) {
      this.line(
        'tropo',
        `No "continue" handler with a next URL: Tropo ${this.channel === 'TEXT' ? 'ends the conversation' : 'hangs up'}`,
      );
      this.disconnect();
      this.endedBy ??= `Tropo ${this.channel === 'TEXT' ? 'ended the conversation' : 'hung up'}: the document ended without a "continue" handler with a next URL`;
      const hangup = run.handlers.get('hangup');
      if (hangup?.next !== undefined) {
        this.line('tropo', 'Tropo fires "hangup"');
        return this.leaveTo(run, hangup.next, error);
      }
    }
    return {
      kind: 'end',
      reason: this.endedBy ?? 'the session ended: no "continue" handler with a next URL',
    };
  }

  private leaveTo(run: DocumentRun, next: string, error: string | null): Leave {
    const resolved = resolveNextUrl(next, run.url);
    if (!resolved.ok) return { kind: 'failed', reason: `unusable next URL: ${resolved.reason}` };
    const payload = this.results.next({
      callId: this.callId,
      state: this.resultState(),
      error,
      calledid: this.calledid,
      userType: run.userType,
      actions: run.actions.map((a) => a.make()),
    });
    return {
      kind: 'post',
      url: resolved.url,
      payload,
      shown: hiddenResult(payload, run.actions),
      run,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Call state, time and lines.

  private line(actor: Actor, text: string, level: LineLevel = 'info', exchange?: number): void {
    this.recorder.line(this.t, actor, text, level, exchange);
  }

  private callActive(): boolean {
    return this.state === 'RINGING' || this.state === 'ANSWERED';
  }

  /** The call state a result reports; a session that never had a call reports DISCONNECTED. */
  private resultState(): string {
    return this.state === 'NONE' ? 'DISCONNECTED' : this.state;
  }

  private disconnect(): void {
    this.state = 'DISCONNECTED';
    this.callEverEnded = true;
  }

  private answerCall(headers: Record<string, string> | undefined): void {
    const extra =
      headers && Object.keys(headers).length > 0
        ? ` with SIP headers ${Object.keys(headers).join(', ')}`
        : '';
    this.line('tropo', `Tropo answers the call${extra}`);
    this.state = 'ANSWERED';
  }

  private hangUpAfterFailure(): void {
    if (this.state === 'RINGING') {
      this.line('tropo', 'Tropo never answers the call and hangs up');
      this.disconnect();
    } else if (this.callActive()) {
      this.line('tropo', 'Tropo hangs up');
      this.disconnect();
    }
  }

  /**
   * Lets `duration` seconds pass. A verb that allows signals (`allow` not null) is interrupted by
   * the first queued signal it allows that arrives before it ends; queued signals it does not allow
   * are discarded (§8.3, event queuing). Returns the interrupting signal's name.
   */
  private spend(duration: number, allow: Signals | null): string | undefined {
    const start = this.t;
    const end = start + Math.max(0, duration);
    if (allow !== null) {
      for (let next = this.signals[0]; next && next.atSeconds <= end; next = this.signals[0]) {
        this.signals.shift();
        if (signalAllowed(allow, next.name)) {
          this.t = Math.max(start, next.atSeconds);
          this.line('tropo', `Signal "${next.name}" arrives and interrupts`);
          return next.name;
        }
        this.line(
          'tropo',
          `Signal "${next.name}" is discarded: the running verb does not allow it`,
        );
      }
    }
    this.t = end;
    return undefined;
  }

  /** Error event for a verb that needs a call: before any call it is an error, after one a no-op. */
  private noCall(verb: string): Step {
    if (this.callEverEnded) {
      this.line('tropo', `Tropo skips ${verb}: the call has ended`, 'warning');
      return NEXT;
    }
    const message = `${verb} needs a call, but this session has none (start one with call)`;
    this.line('tropo', `Error: ${message}`, 'error');
    return event('error', message);
  }

  private platformError(message: string): Step {
    this.line('tropo', `Error: ${message}`, 'error');
    return event('error', message);
  }

  private hidden(item: { promptLogSecurity?: string | undefined }, verbHides = false): boolean {
    return this.suppressing || verbHides || item.promptLogSecurity === 'suppress';
  }

  /** Plays (or texts) one prompt; returns the signal that interrupted it, if any. */
  private speak(
    item: SayItem,
    allow: Signals | null,
    verbHides = false,
    to?: string,
  ): string | undefined {
    const text = this.hidden(item, verbHides) ? SUPPRESSED : item.value;
    if (item.value.trim() === '' && item.media === undefined) return undefined;
    if (this.channel === 'TEXT') {
      this.line('tropo', `Tropo texts ${to ?? this.party}: ${text}${this.mediaNote(item)}`);
      return this.spend(0, allow);
    }
    const audio = /^https?:\/\/\S+$/i.test(item.value.trim());
    const prefix = to ? `Tropo says to ${to}` : audio ? 'Tropo plays' : 'Tropo says';
    this.line('tropo', `${prefix}${audio && !to ? ' ' : ': '}${text}`);
    return this.spend(speakingSeconds(item.value), allow);
  }

  private mediaNote(item: SayItem): string {
    if (item.media === undefined) return '';
    const media = Array.isArray(item.media) ? item.media : [item.media];
    return ` [${plural(media.length, 'attachment')}]`;
  }

  private playHandlerSay(items: readonly SayItem[]): void {
    if (!this.callActive()) {
      this.line('tropo', "Tropo cannot play the handler's say: the call has ended", 'warning');
      return;
    }
    for (const item of items) this.speak(item, null);
  }

  private endRecording(why: string): void {
    if (!this.recording) return;
    const duration = this.t - this.recording.since;
    this.line(
      'tropo',
      `Tropo stops recording (${why}) and uploads ${seconds(duration)} of audio to ${this.recording.url}`,
    );
    this.recording = null;
  }

  private fakeRecordingUrl(format: string | undefined): string {
    this.recordings += 1;
    const ext = format === 'audio/mp3' ? 'mp3' : format === 'audio/au' ? 'au' : 'wav';
    return `${RECORDINGS_HOST}/${this.sessionId}/${this.recordings}.${ext}`;
  }

  private timestampAt(secondsIn: number): string {
    return isoTimestamp(() => this.startedEpoch + secondsIn * 1000);
  }

  // ------------------------------------------------------------------------------------------
  // Verbs.

  private runVerb(verb: Verb, run: DocumentRun): Step | Promise<Step> {
    if ('say' in verb) return this.say(verb.say);
    if ('ask' in verb) return this.ask(verb.ask, run);
    if ('call' in verb) return this.call(verb.call, run);
    if ('message' in verb) return this.message(verb.message, run);
    if ('record' in verb) return this.record(verb.record, run);
    if ('transfer' in verb) return this.transfer(verb.transfer, run);
    if ('conference' in verb) return this.conference(verb.conference, run);
    if ('wait' in verb) {
      this.line('tropo', `Tropo waits ${seconds(verb.wait.milliseconds / 1000)}`);
      const signal = this.spend(verb.wait.milliseconds / 1000, verb.wait.allowSignals);
      return signal ? event(signal) : NEXT;
    }
    if ('startRecording' in verb) return this.startRecording(verb.startRecording);
    if ('stopRecording' in verb) {
      if (!this.recording) this.line('tropo', 'Tropo has nothing to stop: no recording is running');
      this.endRecording('stopRecording');
      return NEXT;
    }
    if ('generalLogSecurity' in verb) {
      const suppress = verb.generalLogSecurity === 'suppress';
      this.line(
        'tropo',
        suppress
          ? 'Tropo stops logging this session (generalLogSecurity "suppress")'
          : 'Tropo logs this session again (generalLogSecurity "none")',
      );
      this.suppressing = suppress;
      return NEXT;
    }
    if ('answer' in verb) {
      if (this.state === 'RINGING') this.answerCall(verb.answer.headers);
      else if (this.callActive()) this.line('tropo', 'Tropo has already answered the call');
      else return this.noCall('answer');
      return NEXT;
    }
    if ('hangup' in verb) {
      if (!this.callActive()) {
        this.line('tropo', 'Tropo has no call to hang up');
        return NEXT;
      }
      this.line(
        'tropo',
        this.channel === 'TEXT' ? 'Tropo ends the conversation' : 'Tropo hangs up',
      );
      this.disconnect();
      this.endedBy ??= 'the app hung up';
      return event('hangup');
    }
    if ('redirect' in verb) {
      if (this.state !== 'RINGING') {
        return this.platformError('redirect only works before the call is answered');
      }
      this.line('tropo', `Tropo redirects the call to ${displayAddress(verb.redirect.to)}`);
      this.state = 'REDIRECTED';
      this.callEverEnded = true;
      return { kind: 'stop', reason: `the call was redirected to ${verb.redirect.to}` };
    }
    if ('reject' in verb) {
      if (this.state !== 'RINGING') {
        return this.platformError('reject only works before the call is answered');
      }
      this.line('tropo', 'Tropo rejects the call');
      this.state = 'REJECTED';
      this.callEverEnded = true;
      return { kind: 'stop', reason: 'the call was rejected' };
    }
    return this.platformError(`the simulator does not know the verb ${verbName(verb)}`);
  }

  private say(items: readonly SayItem[]): Step {
    if (!this.callActive()) return this.noCall('say');
    for (const item of items) {
      // `event` only means something on says nested in ask and record.
      if (item.event !== undefined) continue;
      const signal = this.speak(item, item.allowSignals);
      if (signal) return event(signal);
    }
    return NEXT;
  }

  private nextInput(): { kind: 'initial'; text: string } | ScriptedInput {
    if (this.channel === 'TEXT' && this.pendingInitialText !== null) {
      const text = this.pendingInitialText;
      this.pendingInitialText = null;
      return { kind: 'initial', text };
    }
    return this.inputs.next();
  }

  /**
   * Runs an ask: prompts, input from the script, grammar matching, attempts and event prompts.
   * `who` names the party answering (the caller, or the callee of a transfer's connect whisper);
   * `run` is null for a whisper, whose outcome is not reported in the result.
   */
  private ask(body: AskBody, run: DocumentRun | null, who = 'Caller'): Step {
    if (!this.callActive()) return this.noCall('ask');
    const channel = run === null ? 'VOICE' : (this.channel ?? 'VOICE');
    const grammar = parseGrammar(body.choices.value);
    if (!grammar.supported) {
      return this.platformError(`the simulator cannot run this grammar: ${grammar.reason}`);
    }
    if (grammar.usesAny && channel === 'VOICE') {
      return this.platformError('the [ANY] grammar only works on the TEXT channel');
    }
    const attempts = body.attempts ?? 1;
    const timeout = body.timeout ?? DEFAULT_ASK_TIMEOUT;
    const allow = body.allowSignals;
    const verbHides = body.promptLogSecurity === 'suppress';
    const asr = this.suppressing ? 'suppress' : (body.asrLogSecurity ?? 'none');
    const hide: Hide =
      asr === 'suppress' ? 'suppress' : asr === 'mask' ? { mask: body.maskTemplate } : 'none';
    const shownInput = (text: string): string =>
      hide === 'none' ? text : hide === 'suppress' ? SUPPRESSED : maskInput(text, hide.mask);
    const prompts = body.say.filter((item) => item.event === undefined);
    const report = (record: ActionRecord): void => {
      run?.actions.push({ make: () => record, hide });
    };
    const interrupted = (signal: string, attempt: number): Step => {
      report({ verb: 'ask', name: body.name, attempts: attempt, disposition: 'EXTERNAL_EVENT' });
      return event(signal);
    };
    const say = (items: readonly SayItem[]): string | undefined => {
      for (const item of items) {
        const signal = this.speak(item, allow, verbHides, run === null ? this.party : undefined);
        if (signal) return signal;
      }
      return undefined;
    };

    let failed: { kind: 'nomatch' | 'timeout'; attempt: number } | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (failed) {
        const signal = say(eventItems(body.say, failed.kind, failed.attempt));
        if (signal) return interrupted(signal, attempt - 1);
      }
      const signal = say(prompts);
      if (signal) return interrupted(signal, attempt);
      const grammarIndex = this.grammarIndex++;
      const input = this.nextInput();
      const silence = (): string | undefined => {
        this.line(
          'caller',
          channel === 'TEXT'
            ? `No reply within ${seconds(timeout)}`
            : `${who} says nothing for ${seconds(timeout)}`,
        );
        return this.spend(timeout, allow);
      };
      if (input.kind === 'timeout') {
        const s = silence();
        if (s) return interrupted(s, attempt);
        failed = { kind: 'timeout', attempt };
        continue;
      }
      if (input.kind === 'hangup') {
        this.line('caller', `${who} hangs up`);
        this.spend(RESPONSE_SECONDS, null);
        if (run === null) return event('incomplete');
        this.disconnect();
        this.endedBy ??= 'the caller hung up';
        report({ verb: 'ask', name: body.name, attempts: attempt, disposition: 'HANGUP' });
        return event('hangup');
      }
      if (input.kind === 'nomatch') {
        this.line(
          'caller',
          `${who} ${channel === 'TEXT' ? 'texts' : 'says'} something the grammar does not cover`,
        );
        const s = this.spend(RESPONSE_SECONDS, allow);
        if (s) return interrupted(s, attempt);
        failed = { kind: 'nomatch', attempt };
        continue;
      }
      const via = input.kind === 'answer' ? input.via : undefined;
      const heard = toCallerInput(input.text, channel, via);
      if (input.kind === 'initial') {
        this.line('caller', `The first text answers it: ${shownInput(input.text)}`);
      } else if (heard.via === 'dtmf') {
        this.line('caller', `${who} presses ${shownInput(input.text.replace(/\s+/g, ''))}`);
      } else if (heard.via === 'speech') {
        this.line('caller', `${who} says "${shownInput(input.text)}"`);
      } else {
        this.line('caller', `${who} texts: ${shownInput(input.text)}`);
      }
      const s = this.spend(input.kind === 'initial' ? 0 : RESPONSE_SECONDS, allow);
      if (s) return interrupted(s, attempt);
      const match = matchGrammar(grammar, heard, {
        mode: body.choices.mode,
        terminator: body.choices.terminator,
        minConfidence: body.minConfidence,
        grammarIndex,
      });
      if (match.matched) {
        const detail =
          match.interpretation !== match.value ? ` (${shownInput(match.interpretation)})` : '';
        this.line('tropo', `Tropo recognises "${shownInput(match.value)}"${detail}`);
        report(askSuccess(body.name, attempt, match));
        return NEXT;
      }
      if (match.reason === 'ignored') {
        this.line('tropo', `Tropo does not hear it: ${match.message}`);
        const s2 = this.spend(timeout, allow);
        if (s2) return interrupted(s2, attempt);
        failed = { kind: 'timeout', attempt };
        continue;
      }
      this.line(
        'tropo',
        hide === 'none'
          ? `Tropo does not recognise it: ${match.message}`
          : 'Tropo does not recognise it',
      );
      failed = { kind: 'nomatch', attempt };
    }
    const disposition = failed?.kind === 'nomatch' ? 'NOMATCH' : 'TIMEOUT';
    this.line(
      'tropo',
      `The ask gets no answer after ${plural(attempts, 'attempt')} (${disposition})`,
    );
    report({ verb: 'ask', name: body.name, attempts, disposition });
    return event('incomplete');
  }

  private call(body: CallBody, run: DocumentRun): Step {
    if (this.callActive()) {
      return this.platformError(
        'call starts a new call, but this session already has one (use transfer or message)',
      );
    }
    const to = body.to[0] ?? '';
    const shown = displayAddress(to);
    const network = body.network;
    const channel =
      body.channel ?? (network !== undefined && TEXT_NETWORKS.has(network) ? 'TEXT' : 'VOICE');
    const from = body.from !== undefined ? ` from ${displayAddress(body.from)}` : '';
    const others =
      body.to.length > 1 ? ` (and ${body.to.length - 1} more: the first to answer wins)` : '';
    this.callId = newTropoId(this.random);
    this.calledid = calledIdOf(to, channel, network);
    this.party = shown;
    this.callEverEnded = false;
    const started = this.t;

    if (channel === 'TEXT') {
      this.line('tropo', `Tropo → starts a text conversation with ${shown}${from}`);
      this.channel = 'TEXT';
      this.state = 'ANSWERED';
      return NEXT;
    }
    this.line('tropo', `Tropo → calls ${shown}${from}${others}`);
    const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
    const failed = (disposition: 'BUSY' | 'TIMEOUT'): Step => {
      this.state = 'FAILED';
      this.callEverEnded = true;
      run.actions.push({
        make: () => ({
          verb: 'call',
          name: body.name,
          duration: this.t - started,
          connectedDuration: 0,
          disposition,
          timestamp: this.timestampAt(started),
          calledid: this.calledid,
        }),
        hide: 'none',
      });
      return event('incomplete');
    };
    switch (this.script.callOutcome) {
      case 'busy': {
        const signal = this.spend(BUSY_SECONDS, body.allowSignals);
        if (signal) return event(signal);
        this.line('caller', `${shown} is busy`);
        return failed('BUSY');
      }
      case 'no-answer': {
        const signal = this.spend(timeout, body.allowSignals);
        if (signal) return event(signal);
        this.line('caller', `${shown} does not answer within ${seconds(timeout)}`);
        return failed('TIMEOUT');
      }
      case 'answer': {
        const signal = this.spend(Math.min(RING_SECONDS, timeout), body.allowSignals);
        if (signal) return event(signal);
        this.line('caller', `${shown} answers`);
        this.state = 'ANSWERED';
        this.channel = 'VOICE';
        this.detectMachine(body.machineDetection, body.promptLogSecurity === 'suppress', run);
        return NEXT;
      }
    }
  }

  private detectMachine(
    detection: CallBody['machineDetection'],
    hides: boolean,
    run: DocumentRun,
  ): MachineUserType | undefined {
    if (detection === undefined || detection === false) return undefined;
    if (typeof detection === 'object') {
      const text = this.suppressing || hides ? SUPPRESSED : detection.introduction;
      this.line('tropo', `Tropo says while it listens: ${text}`);
      this.spend(speakingSeconds(detection.introduction), null);
    }
    const userType = this.script.userType;
    this.line('tropo', `Machine detection: ${userType}`);
    run.userType = userType;
    return userType;
  }

  private message(body: MessageBody, run: DocumentRun): Step {
    const to = body.to[0] ?? '';
    const shown = displayAddress(to);
    const network = body.network;
    const channel =
      body.channel ?? (network !== undefined && TEXT_NETWORKS.has(network) ? 'TEXT' : 'VOICE');
    const verbHides = body.promptLogSecurity === 'suppress';
    const text = body.say
      .map((item) => (this.hidden(item, verbHides) ? SUPPRESSED : item.value))
      .join(' ');
    const from = body.from !== undefined ? ` from ${displayAddress(body.from)}` : '';
    if (channel === 'TEXT') {
      const media = body.say.reduce((n, item) => n + (item.media === undefined ? 0 : 1), 0);
      const note = media > 0 ? ` [${plural(media, 'item')} with media]` : '';
      this.line('tropo', `Tropo texts ${shown}${from}: ${text}${note}`);
      if (body.to.length > 1) {
        this.line('tropo', 'Only the first number of "to" receives a text', 'warning');
      }
      return NEXT;
    }
    this.line('tropo', `Tropo → calls ${shown}${from} to deliver a message`);
    const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
    if (this.script.callOutcome !== 'answer') {
      const busy = this.script.callOutcome === 'busy';
      this.spend(busy ? BUSY_SECONDS : timeout, null);
      this.line(
        'caller',
        busy ? `${shown} is busy` : `${shown} does not answer within ${seconds(timeout)}`,
      );
      const record: ActionRecord = {
        verb: 'message',
        name: body.name,
        disposition: busy ? 'BUSY' : 'TIMEOUT',
      };
      run.actions.push({ make: () => record, hide: 'none' });
      return event('incomplete');
    }
    this.spend(Math.min(RING_SECONDS, timeout), null);
    this.line('caller', `${shown} answers`);
    this.line('tropo', `Tropo says to ${shown}: ${text}`);
    this.spend(
      body.say.reduce((total, item) => total + speakingSeconds(item.value), 0),
      null,
    );
    this.line('tropo', `Tropo hangs up the message call to ${shown}`);
    return NEXT;
  }

  private record(body: RecordBody, run: DocumentRun): Step {
    if (this.channel === 'TEXT') {
      return this.platformError('record only works on a voice call');
    }
    if (!this.callActive()) return this.noCall('record');
    const attempts = body.attempts ?? 1;
    const timeout = body.timeout ?? DEFAULT_RECORD_TIMEOUT;
    const allow = body.allowSignals;
    const verbHides = body.promptLogSecurity === 'suppress';
    const destination = body.url[0]?.url ?? '';
    const prompts = (body.say ?? []).filter((item) => item.event === undefined);
    const report = (record: ActionRecord): void => {
      run.actions.push({ make: () => record, hide: 'none' });
    };
    /** A signal cut the recording short: report it and fire the signal's event. */
    const interrupted = (signal: string, attempt: number) => {
      report({ verb: 'record', name: body.name, attempts: attempt, disposition: 'EXTERNAL_EVENT' });
      return event(signal);
    };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const items = [
        ...(attempt > 1 ? eventItems(body.say ?? [], 'timeout', attempt - 1) : []),
        ...prompts,
      ];
      for (const item of items) {
        const signal = this.speak(item, allow, verbHides);
        if (signal) return interrupted(signal, attempt);
      }
      if (body.beep !== false) {
        this.line('tropo', 'Beep');
        this.spend(BEEP_SECONDS, null);
      }
      switch (this.script.recordOutcome) {
        case 'timeout': {
          this.line('caller', `Caller says nothing for ${seconds(timeout)}`);
          const signal = this.spend(timeout, allow);
          if (signal) return interrupted(signal, attempt);
          continue;
        }
        case 'hangup': {
          this.line('caller', 'Caller hangs up');
          this.spend(RESPONSE_SECONDS, null);
          this.disconnect();
          this.endedBy ??= 'the caller hung up';
          report({ verb: 'record', name: body.name, attempts: attempt, disposition: 'HANGUP' });
          return event('hangup');
        }
        case 'recorded':
        case 'upload-failed': {
          const duration = Math.min(this.script.recordDuration, body.maxTime ?? Infinity);
          this.line('caller', `Caller speaks for ${seconds(duration)}`);
          const signal = this.spend(duration, allow);
          if (signal) return interrupted(signal, attempt);
          const uploaded = this.script.recordOutcome === 'recorded';
          const local = this.fakeRecordingUrl(body.format);
          this.line(
            'tropo',
            uploaded
              ? `Tropo uploads the recording to ${destination} (local copy ${local})`
              : `Tropo cannot upload the recording to ${destination}`,
            uploaded ? 'info' : 'warning',
          );
          report({
            verb: 'record',
            name: body.name,
            attempts: attempt,
            disposition: 'SUCCESS',
            uploadStatus: uploaded ? 'success' : 'failed',
            value: local,
            duration,
            url: destination,
          });
          // §5.9: with asyncUpload the upload's fate is not reported; otherwise it is an error.
          if (!uploaded && body.asyncUpload !== true) {
            return event('error', `the recording could not be uploaded to ${destination}`);
          }
          return NEXT;
        }
      }
    }
    this.line('tropo', `The record gets nothing after ${plural(attempts, 'attempt')} (TIMEOUT)`);
    report({ verb: 'record', name: body.name, attempts, disposition: 'TIMEOUT' });
    return event('incomplete');
  }

  private startRecording(body: StartRecordingBody): Step {
    if (!this.callActive()) return this.noCall('startRecording');
    const url = body.url[0]?.url ?? '';
    if (this.recording) this.endRecording('a new startRecording');
    this.line('tropo', `Tropo starts recording the call for ${url}`);
    this.recording = { url, format: body.format, since: this.t };
    return NEXT;
  }

  private async transfer(body: TransferBody, run: DocumentRun): Promise<Step> {
    if (this.channel === 'TEXT') return this.platformError('transfer only works on a voice call');
    if (!this.callActive()) return this.noCall('transfer');
    const to = body.to[0] ?? '';
    const shown = displayAddress(to);
    const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
    // §4.6: a transfer is only interruptible when it has a terminator.
    const allow = body.choices?.terminator !== undefined ? body.allowSignals : null;
    const handlers = body.on ?? [];
    const started = this.t;
    const others =
      body.to.length > 1 ? ` (and ${body.to.length - 1} more: the first to answer wins)` : '';
    this.line('tropo', `Tropo transfers the caller to ${shown}${others}`);
    for (const ring of handlers.filter((h) => h.event === 'ring')) {
      const times = body.ringRepeat ?? 1;
      for (const item of ring.say ?? []) {
        const text = this.hidden(item) ? SUPPRESSED : item.value;
        this.line(
          'tropo',
          `The caller hears while it rings${times > 1 ? ` (×${times})` : ''}: ${text}`,
        );
      }
    }
    const report = (
      disposition: string,
      connectedSince: number | undefined,
      userType?: MachineUserType,
    ): void => {
      const ended = this.t;
      const calledid = calledIdOf(to, 'VOICE', undefined);
      run.actions.push({
        make: () => ({
          verb: 'transfer',
          name: body.name,
          duration: ended - started,
          connectedDuration: connectedSince === undefined ? 0 : ended - connectedSince,
          disposition,
          timestamp: this.timestampAt(started),
          calledid,
          userType,
        }),
        hide: 'none',
      });
    };
    const outcome = this.script.transferOutcome;
    if (outcome !== 'answer') {
      const busy = outcome === 'busy';
      const signal = this.spend(busy ? BUSY_SECONDS : timeout, allow);
      if (signal) {
        report('EXTERNAL_EVENT', undefined);
        return event(signal);
      }
      this.line(
        'caller',
        busy ? `${shown} is busy` : `${shown} does not answer within ${seconds(timeout)}`,
      );
      report(busy ? 'BUSY' : 'TIMEOUT', undefined);
      return event('incomplete');
    }
    const ringing = this.spend(Math.min(RING_SECONDS, timeout), allow);
    if (ringing) {
      report('EXTERNAL_EVENT', undefined);
      return event(ringing);
    }
    this.line('caller', `${shown} answers`);
    let userType: MachineUserType | undefined;
    if (body.machineDetection !== undefined && body.machineDetection !== false) {
      userType = this.script.userType;
      this.line('tropo', `Machine detection: ${userType}`);
    }
    // §5.8.1: connect handlers run on the called party, in order, before the legs are bridged.
    const caller = this.party;
    this.party = shown;
    try {
      for (const connect of handlers.filter((h) => h.event === 'connect')) {
        for (const item of connect.say ?? []) this.speak(item, null, false, shown);
        if (connect.ask) {
          const whisper = this.ask(connect.ask, null, shown);
          if (whisper.kind !== 'next') {
            this.line('tropo', `${shown} does not accept: Tropo drops that leg`);
            report('FAILED', undefined, userType);
            return event('incomplete');
          }
        }
        if (connect.post !== undefined) await this.connectPost(connect.post, run.url);
      }
    } finally {
      this.party = caller;
    }
    const connectedSince = this.t;
    this.line('tropo', `The caller and ${shown} are connected`);
    const signal = this.spend(this.script.transferDuration, allow);
    if (signal) {
      report('EXTERNAL_EVENT', connectedSince, userType);
      return event(signal);
    }
    this.line('caller', `${shown} hangs up after ${seconds(this.script.transferDuration)}`);
    report('SUCCESS', connectedSince, userType);
    return NEXT;
  }

  /** A connect handler's `post`: the result envelope without actions, answer ignored (§7.4). */
  private async connectPost(post: string, documentUrl: string): Promise<void> {
    const resolved = resolveNextUrl(post, documentUrl);
    if (!resolved.ok) {
      this.line('tropo', `Tropo cannot POST the connect notice: ${resolved.reason}`, 'warning');
      return;
    }
    const payload = buildResult({
      sessionId: this.sessionId,
      callId: this.callId,
      state: this.resultState(),
      sessionDuration: this.t,
      // The shortened result does not count as one of the session's results.
      sequence: this.results.count + 1,
      actions: [],
    });
    const exchange = this.recorder.request(this.t, 'connect-post', resolved.url, payload);
    this.line(
      'tropo',
      `Tropo POSTs a connect notice to ${this.show(resolved.url)} (its answer is ignored)`,
      'info',
      exchange.index,
    );
    const answer = await this.post(resolved.url, JSON.stringify(payload), this.timeoutMs);
    if (answer.ok) {
      this.recorder.response(exchange, {
        status: answer.status,
        contentType: answer.contentType,
        body: answer.body,
        truncated: answer.truncated,
        durationMs: Math.round(answer.durationMs),
      });
    } else {
      this.recorder.failure(exchange, answer.kind, answer.message);
    }
  }

  private conference(body: ConferenceBody, run: DocumentRun): Step {
    if (this.channel === 'TEXT') return this.platformError('conference only works on a voice call');
    if (!this.callActive()) return this.noCall('conference');
    const allow = body.terminator !== undefined ? body.allowSignals : null;
    const started = this.t;
    this.line(
      'tropo',
      `Tropo puts the caller in conference room ${body.id}${body.mute === true ? ' (muted)' : ''}`,
    );
    if (body.joinPrompt !== undefined && body.joinPrompt !== false) {
      this.line('tropo', 'Tropo announces the caller to the room');
    }
    const report = (disposition: string): void => {
      const duration = this.t - started;
      run.actions.push({
        make: () => ({ verb: 'conference', name: body.name, duration, disposition }),
        hide: 'none',
      });
    };
    const signal = this.spend(this.script.conferenceDuration, allow);
    if (signal) {
      report('EXTERNAL_EVENT');
      return event(signal);
    }
    this.line(
      'caller',
      `Caller hangs up after ${seconds(this.script.conferenceDuration)} in the conference`,
    );
    this.disconnect();
    this.endedBy ??= 'the caller hung up';
    // The 2011 capture: a caller leaving a conference by hanging up reports HANGUP.
    report('HANGUP');
    return event('hangup');
  }
}

/** The id a result reports for a dialled address (`tel:+14155551212` → `14155551212`). */
function calledIdOf(to: string, channel: 'VOICE' | 'TEXT', network: string | undefined): string {
  const net = network ?? (channel === 'TEXT' ? 'SMS' : /^sips?:/i.test(to.trim()) ? 'SIP' : 'PSTN');
  try {
    return callerId(to, channel, net).id;
  } catch {
    return displayAddress(to);
  }
}
