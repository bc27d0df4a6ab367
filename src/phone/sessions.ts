/**
 * The browser phone's sessions: each one is the simulator's engine playing Tropo against an app of
 * this server, answered by a person through an InteractiveSource, its progress pushed to one
 * listener (the page's event stream). Bounded in number and in real time.
 */
import { randomUUID } from 'node:crypto';
import { startSession } from '../simulator/engine';
import type { PostJson } from '../simulator/http';
import type { SessionPayload } from '../simulator/session-factory';
import type { Transcript, TranscriptExchange, TranscriptLine } from '../simulator/transcript';
import { InteractiveSource, type Question, type Reply, type ReplyRefusal } from './interactive';

/** What the page is told, in order. */
export type PhoneEvent =
  | { type: 'started'; id: string; app: string; kind: Transcript['kind'] }
  | { type: 'line'; line: TranscriptLine }
  | { type: 'exchange'; exchange: TranscriptExchange }
  | { type: 'question'; id: number; question: Question }
  | { type: 'ended'; outcome: Transcript['outcome']; sessionDuration: number };

/** Bounds and plumbing of the phone. */
export interface PhoneSessionsOptions {
  /** Sessions running at once. */
  maxSessions: number;
  /** Real seconds one session may last, waits included. */
  maxSeconds: number;
  /** How the engine POSTs to the app (default: fetch). */
  post?: PostJson | undefined;
  /** Strings the transcript must hide (the webhook secret in URLs). */
  secrets?: readonly string[] | undefined;
  /** How long the engine waits for one answer of the app. */
  timeoutMs?: number | undefined;
  /** Milliseconds between pushes of what the engine wrote while no question was asked. */
  flushMs?: number | undefined;
  /** True once the server shuts down: running sessions are hung up, new ones refused. */
  stopping?: (() => boolean) | undefined;
}

/** One running phone session. */
export interface PhoneSession {
  readonly id: string;
  /** Hands the page's reply to question `questionId`. */
  reply(questionId: number, reply: Reply): ReplyRefusal | undefined;
  /** The person hangs up (also when the page goes away). */
  hangup(): void;
  /** Resolves with the transcript once the session has ended. */
  readonly done: Promise<Transcript>;
}

/** What starting a session needs. */
export interface PhoneStart {
  app: string;
  startUrl: string;
  session: SessionPayload;
  /** Gets every event of the session, in order. */
  listener: (event: PhoneEvent) => void;
}

/** The registry of running phone sessions. */
export class PhoneSessions {
  private readonly running = new Map<string, PhoneSession>();

  constructor(private readonly options: PhoneSessionsOptions) {}

  /** How many sessions run now. */
  get size(): number {
    return this.running.size;
  }

  /** The running session of that id. */
  get(id: string): PhoneSession | undefined {
    return this.running.get(id);
  }

  /** Starts a session, or answers undefined when as many run as may. */
  start(start: PhoneStart): PhoneSession | undefined {
    if (this.running.size >= this.options.maxSessions || this.options.stopping?.()) {
      return undefined;
    }
    const id = randomUUID();
    const emit = start.listener;
    let lines = 0;
    const sent = new Set<number>();
    let snapshot: () => Transcript = () => {
      throw new Error('the session is not started yet');
    };
    // Lines and finished exchanges the page has not seen yet, in the order they were written.
    const flush = (transcript: Transcript = snapshot()): void => {
      for (; lines < transcript.lines.length; lines++) {
        const line = transcript.lines[lines];
        if (line) emit({ type: 'line', line });
      }
      for (const exchange of transcript.exchanges) {
        if (sent.has(exchange.index) || (!exchange.response && !exchange.failure)) continue;
        sent.add(exchange.index);
        emit({ type: 'exchange', exchange });
      }
    };
    const source = new InteractiveSource((questionId, question) => {
      flush();
      emit({ type: 'question', id: questionId, question });
    });
    const handle = startSession({
      startUrl: start.startUrl,
      session: start.session,
      inputSource: source,
      post: this.options.post,
      timeoutMs: this.options.timeoutMs,
      secrets: this.options.secrets,
      keepRaw: false,
      limits: { maxWallMs: this.options.maxSeconds * 1000 },
    });
    snapshot = () => handle.snapshot();
    emit({ type: 'started', id, app: start.app, kind: handle.snapshot().kind });
    const ticker = setInterval(() => {
      flush();
      // A shutdown waits for open requests: a call hung up now ends its stream within moments.
      if (this.options.stopping?.() && !source.ended) source.hangup();
    }, this.options.flushMs ?? 200);
    ticker.unref();
    // Past its time the session is hung up: the engine's own wall limit ends it soon after.
    const deadline = setTimeout(() => source.hangup(), this.options.maxSeconds * 1000);
    deadline.unref();
    const done = handle.done.then((transcript) => {
      clearInterval(ticker);
      clearTimeout(deadline);
      this.running.delete(id);
      flush(transcript);
      emit({
        type: 'ended',
        outcome: transcript.outcome,
        sessionDuration: transcript.sessionDuration,
      });
      return transcript;
    });
    const session: PhoneSession = {
      id,
      reply: (questionId, reply) => source.reply(questionId, reply),
      hangup: () => source.hangup(),
      done,
    };
    this.running.set(id, session);
    return session;
  }

  /** Hangs up every session (shutdown) and resolves once all have ended. */
  async closeAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const session of all) session.hangup();
    await Promise.all(all.map((s) => s.done));
  }
}
