/**
 * When a Tropo session is over for this server, so that its conversation state can be forgotten:
 * pure rules, kept apart from the pipeline so each case is unit-tested.
 *
 * The rule (tropo-webapi.md §1 step 6, §5.8.1, §9.3): Tropo only ever comes back to an app by
 * POSTing a result to a URL the app's last document named. So a session is over when
 * - the last document names no such URL: no `on` handler, at the top level or nested in `transfer`
 *   or `conference`, carries a `next` (or a transfer-connect `post`); or
 * - the result being answered says the call is over (`state` DISCONNECTED, a hangup result).
 *
 * A `hangup`, `reject` or `redirect` verb does not end the session by itself: the `hangup` event
 * still fires after it, and a handler with `next` still receives a (DISCONNECTED) result, which may
 * need the state. Sessions whose end we cannot see (Tropo never POSTs again) expire with the TTL.
 */
import type { OnBody, Result, Verb } from '../tropo';

/** The handlers a verb declares: a top-level `on`, or the `on` list of a transfer or conference. */
function handlersOf(verb: Verb): readonly OnBody[] {
  if ('on' in verb) return [verb.on];
  if ('transfer' in verb) return verb.transfer.on ?? [];
  if ('conference' in verb) return verb.conference.on ?? [];
  return [];
}

/** True when a handler sends Tropo back to a URL (ours, as far as we can tell). */
function callsBack(handler: OnBody): boolean {
  return (
    (handler.next !== undefined && handler.next !== '') ||
    (handler.post !== undefined && handler.post !== '')
  );
}

/** True when Tropo can POST nothing more after this document: no handler names a `next` or `post` URL. */
export function documentEndsSession(verbs: readonly Verb[]): boolean {
  return !verbs.some((verb) => handlersOf(verb).some(callsBack));
}

/** True when the result reports the call over: `state` DISCONNECTED (any case), as a hangup result has. */
export function resultEndsSession(result: Pick<Result, 'kind' | 'state'>): boolean {
  return result.kind === 'result' && result.state.toUpperCase() === 'DISCONNECTED';
}

/**
 * True when answering `verbs` (the document sent, a fallback included) to `result` (none at start)
 * ends the session. A transcription callback never does: it arrives outside the document flow.
 */
export function answerEndsSession(
  verbs: readonly Verb[],
  result?: Pick<Result, 'kind' | 'state'>,
): boolean {
  if (result?.kind === 'transcription') return false;
  return (result !== undefined && resultEndsSession(result)) || documentEndsSession(verbs);
}

/** What one request did with its session's state, as the pipeline saw it. */
export interface StateUse {
  /** The app called `set` during this request (even if the call failed). */
  wrote: boolean;
  /** The app's last change was deleting the whole state, and that succeeded: nothing is left. */
  cleared: boolean;
}

/** Everything `shouldForgetState` decides from. */
export interface ForgetInput {
  /** `start` answers a new session; `continue` answers a result of one already under way. */
  phase: 'start' | 'continue';
  /** The session is over (see `documentEndsSession`, `resultEndsSession`). */
  ended: boolean;
  use: StateUse;
  /** The state store just failed this request (its answer is STATE_UNAVAILABLE). */
  storeFailed: boolean;
  /** The store keeps a key for the session (claimed at its start): there is always something to delete. */
  keyed?: boolean;
}

/**
 * Whether to delete the session's state after answering: only when the session is over and the store
 * may hold something. A new session holds state only if this request wrote some; a continued one may
 * hold what earlier requests (on any instance) wrote, unless the app already cleared it; a keyed
 * session holds at least its key. After a store
 * failure nothing is tried: the store is down, and the TTL will clean up.
 */
export function shouldForgetState(input: ForgetInput): boolean {
  if (!input.ended || input.storeFailed) return false;
  if (input.keyed === true) return true;
  if (input.use.cleared) return false;
  return input.phase === 'continue' || input.use.wrote;
}
