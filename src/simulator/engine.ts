/**
 * The simulator's engine: plays Tropo's side of one session against an app over HTTP (§1, §9) —
 * POSTs the session, executes each document's verbs in order against a caller script, follows the
 * `on` handlers, POSTs results to `next` URLs — and records everything in a transcript.
 *
 * Where things live: session/loop.ts runs the session document after document, session/fetch.ts
 * one exchange with the app, session/document.ts one document and its `on` handlers,
 * session/run.ts the state and primitives verbs share; verbs/index.ts is the table that says
 * which file of verbs/ runs each verb (speech, recording, calls, messages, flow).
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
import { playSession } from './session/loop';
import type { EngineOptions, SessionHandle } from './session/options';
import { SessionRun } from './session/run';
import type { Transcript } from './transcript';

export { displayAddress, signalAllowed, speakingSeconds } from './session/common';
export {
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUT_MS,
  type EngineOptions,
  type ScheduledSignal,
  type SessionHandle,
  type SessionLimits,
} from './session/options';

/** Starts playing one session; the returned handle's `done` resolves with the transcript. */
export function startSession(options: EngineOptions): SessionHandle {
  const run = new SessionRun(options);
  const done = playSession(run);
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
