/** The state of one simulated session and the primitives every verb uses: simulated time and signals, transcript lines, the call's state, prompts. */
import type { SayItem } from '../../tropo';
import { createPoster, type PostJson } from '../http';
import { type RandomBytes, isoTimestamp, systemClock, systemRandomBytes } from '../ids';
import { type ResultPayload, ResultSequence } from '../result-builder';
import { type CallerScript, DEFAULT_SCRIPT } from '../script';
import { type SessionPayload, createSession } from '../session-factory';
import {
  type Actor,
  type LineLevel,
  type OutcomeStatus,
  type Transcript,
  type TranscriptOutcome,
  SUPPRESSED,
  TranscriptRecorder,
} from '../transcript';
import {
  type CallState,
  type NextInput,
  type Step,
  type VerbContext,
  NEXT,
  event,
} from '../verbs/context';
import { type AskQuestion, type InputSource, scriptSource } from './input-source';
import { type Signals, plural, seconds, signalAllowed, speakingSeconds } from './common';
import {
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUT_MS,
  type EngineOptions,
  type ScheduledSignal,
  type SessionLimits,
} from './options';
import { ServerNews } from './server-news';
import { refusalOf, showUrl } from './app-origin';

const RECORDINGS_HOST = 'http://recordings.simulator.invalid';

function isSessionPayload(value: EngineOptions['session']): value is SessionPayload {
  return 'session' in value;
}

function sessionKind(payload: SessionPayload): Transcript['kind'] {
  const s = payload.session;
  if (s.userType === 'NONE') return 'token';
  return s.to.channel === 'TEXT' ? 'text' : 'voice';
}

/** One session being played: what the loop, the document runner and the verbs share. */
export class SessionRun implements VerbContext {
  readonly sessionId: string;
  readonly payload: SessionPayload;
  readonly kind: Transcript['kind'];
  readonly startUrl: string;
  readonly origin: string | undefined;
  readonly allowHosts: readonly string[];
  readonly script: CallerScript;
  /** Answers the asks and decides the legs: the script, or a person (the browser phone). */
  readonly source: InputSource;
  readonly post: PostJson;
  readonly timeoutMs: number;
  readonly keepRaw: boolean;
  private readonly news: ServerNews;
  readonly limits: SessionLimits;
  readonly random: RandomBytes;
  readonly monotonic: () => number;
  readonly startedEpoch: number;
  readonly startedWall: number;
  readonly recorder: TranscriptRecorder;
  readonly results: ResultSequence;
  private readonly signals: ScheduledSignal[];

  /** Simulated seconds since the session started. */
  t = 0;
  state: CallState;
  channel: 'VOICE' | 'TEXT' | null;
  callId: string | null;
  calledid: string | undefined;
  party: string;
  callEverEnded = false;
  private pendingInitialText: string | null;
  suppressing = false;
  grammarIndex = 0;
  private recordings = 0;
  recording: { url: string; format: string | undefined; since: number } | null = null;
  /** Documents received from the app. */
  documents = 0;
  /** Documents asked for (the session POST and every result POST). */
  requests = 0;
  readonly failures: string[] = [];
  endedBy: string | undefined;
  outcome: TranscriptOutcome | null = null;

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
      // An unusable start URL fails at its POST; until then URLs are shown in full.
      this.origin = undefined;
    }
    this.allowHosts = (options.allowHosts ?? []).map((h) => h.toLowerCase());
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.source = options.inputSource ?? scriptSource(this.script);
    this.post = options.post ?? createPoster({ fetch: options.fetch, now: () => this.monotonic() });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.keepRaw = options.keepRaw === true;
    this.news = new ServerNews(options);
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

  get resultCount(): number {
    return this.results.count;
  }

  // ------------------------------------------------------------------------------------------
  // The session as a whole.

  /** Ends the session once (later calls are ignored) with the outcome the transcript reports; `cause` is a crash's stack. */
  finish(status: OutcomeStatus, reason: string, cause?: string): void {
    if (this.outcome) return;
    this.endRecording('the session ended');
    this.outcome = {
      status,
      reason: this.recorder.redact(reason),
      state: this.state === 'NONE' ? null : this.state,
      failures: this.failures.map((f) => this.recorder.redact(f)),
    };
    if (cause !== undefined) this.outcome.cause = this.recorder.redact(cause);
    this.line(
      'simulator',
      `Session ended after ${seconds(this.t)}: ${reason}`,
      status === 'completed' ? 'info' : 'error',
    );
  }

  /** The transcript so far. */
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
      ...(this.news.reported ? { reported: [...this.news.reported] } : {}),
      lines: [...this.recorder.lines],
      exchanges: [...this.recorder.exchanges],
    };
  }

  /** Queues a signal now; false when the session has already ended. */
  queueSignal(name: string): boolean {
    if (this.outcome) return false;
    this.signals.push({ name, atSeconds: this.t });
    this.signals.sort((a, b) => a.atSeconds - b.atSeconds);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Time, lines and HTTP asides.

  line(actor: Actor, text: string, level: LineLevel = 'info', exchange?: number): void {
    this.recorder.line(this.t, actor, text, level, exchange);
  }

  /**
   * Lets `duration` seconds pass. A verb that allows signals (`allow` not null) is interrupted by
   * the first queued signal it allows that arrives before it ends; queued signals it does not allow
   * are discarded (§8.3, event queuing). Returns the interrupting signal's name.
   */
  spend(duration: number, allow: Signals | null): string | undefined {
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

  /** Copies what the app server did during `exchange` into the transcript (see ServerNews). */
  takeAppLogs(exchange: number): string[] {
    return this.news.take(this, exchange);
  }

  timestampAt(secondsIn: number): string {
    return isoTimestamp(() => this.startedEpoch + secondsIn * 1000);
  }

  show(url: string): string {
    return showUrl(url, this.origin);
  }

  /** Why `url` may not be POSTed to (another origin than the app's, not allowed), or undefined. */
  refusedUrl(url: string): string | undefined {
    return refusalOf(url, this.origin, this.allowHosts);
  }

  async postAside(url: string, payload: ResultPayload, text: string): Promise<void> {
    const refused = this.refusedUrl(url);
    if (refused) {
      this.failures.push(refused);
      this.line('simulator', `Not POSTed: ${refused}`, 'error');
      return;
    }
    const exchange = this.recorder.request(this.t, 'connect-post', url, payload);
    this.line('tropo', text, 'info', exchange.index);
    const answer = await this.post(url, JSON.stringify(payload), this.timeoutMs);
    for (const logged of this.takeAppLogs(exchange.index)) {
      this.failures.push(`the server logged an error (${logged})`);
    }
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

  // ------------------------------------------------------------------------------------------
  // The call.

  callActive(): boolean {
    return this.state === 'RINGING' || this.state === 'ANSWERED';
  }

  /** The call state a result reports; a session that never had a call reports DISCONNECTED. */
  resultState(): string {
    return this.state === 'NONE' ? 'DISCONNECTED' : this.state;
  }

  disconnect(): void {
    this.state = 'DISCONNECTED';
    this.callEverEnded = true;
  }

  answerCall(headers: Record<string, string> | undefined): void {
    const extra =
      headers && Object.keys(headers).length > 0
        ? ` with SIP headers ${Object.keys(headers).join(', ')}`
        : '';
    this.line('tropo', `Tropo answers the call${extra}`);
    this.state = 'ANSWERED';
  }

  /** Tropo's side of a failed app: a ringing call is never answered, an active one is hung up. */
  hangUpAfterFailure(): void {
    if (this.state === 'RINGING') {
      this.line('tropo', 'Tropo never answers the call and hangs up');
      this.disconnect();
    } else if (this.callActive()) {
      this.line('tropo', 'Tropo hangs up');
      this.disconnect();
    }
  }

  /** Error event for a verb that needs a call: before any call it is an error, after one a no-op. */
  noCall(verb: string): Step {
    if (this.callEverEnded) {
      this.line('tropo', `Tropo skips ${verb}: the call has ended`, 'warning');
      return NEXT;
    }
    const message = `${verb} needs a call, but this session has none (start one with call)`;
    this.line('tropo', `Error: ${message}`, 'error');
    return event('error', message);
  }

  platformError(message: string): Step {
    this.line('tropo', `Error: ${message}`, 'error');
    return event('error', message);
  }

  async nextInput(question: Omit<AskQuestion, 'at'>): Promise<NextInput> {
    if (this.channel === 'TEXT' && this.pendingInitialText !== null) {
      const text = this.pendingInitialText;
      this.pendingInitialText = null;
      return { kind: 'initial', text };
    }
    return this.source.answer({ ...question, at: this.t });
  }

  // ------------------------------------------------------------------------------------------
  // Prompts and recordings.

  hidden(item: { promptLogSecurity?: string | undefined }, verbHides = false): boolean {
    return this.suppressing || verbHides || item.promptLogSecurity === 'suppress';
  }

  speak(item: SayItem, allow: Signals | null, verbHides = false, to?: string): string | undefined {
    const text = this.hidden(item, verbHides) ? SUPPRESSED : item.value;
    if (item.value.trim() === '' && item.media === undefined) return undefined;
    if (this.channel === 'TEXT') {
      this.line('tropo', `Tropo texts ${to ?? this.party}: ${text}${mediaNote(item)}`);
      return this.spend(0, allow);
    }
    const audio = /^https?:\/\/\S+$/i.test(item.value.trim());
    const prefix = to ? `Tropo says to ${to}` : audio ? 'Tropo plays' : 'Tropo says';
    this.line('tropo', `${prefix}${audio && !to ? ' ' : ': '}${text}`);
    return this.spend(speakingSeconds(item.value), allow);
  }

  /** Plays an `on` handler's say; nothing can interrupt it. */
  playHandlerSay(items: readonly SayItem[]): void {
    if (!this.callActive()) {
      this.line('tropo', "Tropo cannot play the handler's say: the call has ended", 'warning');
      return;
    }
    for (const item of items) this.speak(item, null);
  }

  endRecording(why: string): void {
    if (!this.recording) return;
    const duration = this.t - this.recording.since;
    this.line(
      'tropo',
      `Tropo stops recording (${why}) and uploads ${seconds(duration)} of audio to ${this.recording.url}`,
    );
    this.recording = null;
  }

  fakeRecordingUrl(format: string | undefined): string {
    this.recordings += 1;
    const ext = format === 'audio/mp3' ? 'mp3' : format === 'audio/au' ? 'au' : 'wav';
    return `${RECORDINGS_HOST}/${this.sessionId}/${this.recordings}.${ext}`;
  }
}

function mediaNote(item: SayItem): string {
  if (item.media === undefined) return '';
  const media = Array.isArray(item.media) ? item.media : [item.media];
  return ` [${plural(media.length, 'attachment')}]`;
}
