/** What a simulated session is started with: the options, the limits that stop it, and the handle it returns. */
import type { FetchLike, PostJson } from '../http';
import type { Clock, RandomBytes } from '../ids';
import type { CallerScript } from '../script';
import type { InputSource } from './input-source';
import type { SessionPayload, SessionSpec } from '../session-factory';
import type { Transcript } from '../transcript';

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
  /**
   * Who answers the asks and decides the legs instead of the script (the browser phone's person);
   * the script's durations still apply where the source gives none.
   */
  inputSource?: InputSource | undefined;
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
  /**
   * Drains the app server's log lines (warn and above) written since the last call; the engine
   * calls it after each exchange so the lines land in the transcript where they happened.
   */
  appLogs?: (() => readonly AppLogLine[]) | undefined;
  /**
   * For a session launched like a campaign's (`launch.parameters` carry its reference): drains the
   * outcomes the app reported since the last call; the engine calls it after each exchange, so
   * each lands in the transcript where it happened, and in `reported`.
   */
  appOutcomes?: (() => readonly { outcome: string; recorded: boolean }[]) | undefined;
  /** Keep each answer's body exactly as the app sent it (`response.raw`), unredacted. */
  keepRaw?: boolean | undefined;
  /**
   * Hosts (`name` or `name:port`) the simulator may POST to besides the start URL's origin; a
   * `next` URL anywhere else stops the session, so a scenario never sends traffic off the machine
   * by surprise.
   */
  allowHosts?: readonly string[] | undefined;
  /** More strings to hide in the transcript (the Session API token is always hidden). */
  secrets?: readonly string[] | undefined;
}

/** One log line of the server that hosts the app (the in-process server of `simulate --app`). */
export interface AppLogLine {
  level: 'warn' | 'error' | 'fatal';
  msg: string;
  /** The error id of a fallback answer, which the `x-error-id` header repeats. */
  errorId?: string | undefined;
  /** The logged error's message, when there was one. */
  error?: string | undefined;
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
