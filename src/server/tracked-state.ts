/**
 * What a request did to its session's state (a lazily made view that notes writes and a final
 * delete), state outages, and the delete of an ended session's state.
 */
import type { Logger } from 'pino';
import type { SessionState } from '../sdk/define-app';
import { isStateUnavailableError } from '../state';
import type { StateUse } from './session-end';
import { stateFailures, type StateFailures } from './state-failures';
import { toError } from './loggable-error';

/** A request's state view, and what the request did with it (for the clean-up at session end). */
export interface TrackedState {
  view: SessionState;
  use(): StateUse;
}

/**
 * A state view made on first use, so a bad session id surfaces as the app's error, not the server's.
 * It notes writes and a final whole-state delete, and reports every call that succeeds (which ends
 * a state outage).
 */
export function trackedState(make: () => SessionState, onSuccess: () => void): TrackedState {
  let view: SessionState | undefined;
  const get = () => (view ??= make());
  let wrote = false;
  // Changes are numbered as they are asked for; the view runs them in that order.
  let changes = 0;
  let clearedAt = -1;
  function track<T>(operation: () => Promise<T>): Promise<T> {
    return Promise.resolve()
      .then(operation)
      .then((value) => {
        onSuccess();
        return value;
      });
  }
  return {
    view: {
      get: (key) => track(() => get().get(key)),
      set: (key, value) => {
        wrote = true;
        changes += 1;
        return track(() => get().set(key, value));
      },
      delete: (key) => {
        changes += 1;
        const change = changes;
        return track(() => get().delete(key)).then(() => {
          if (key === undefined) clearedAt = change;
        });
      },
    },
    use: () => ({ wrote, cleared: clearedAt === changes }),
  };
}

/** The pipeline's side of state: tracked views per request, outage bookkeeping, and end-of-session deletes. */
export interface StateTracking {
  /** Counts failed state calls, so an outage logs at error once and then at debug. */
  readonly failures: StateFailures;
  /** A tracked view of `sessionId`'s state for one request. */
  track(sessionId: string): TrackedState;
  /** Deletes an ended session's state without holding up the answer; a failure is only logged. */
  forget(sessionId: string, logOf: () => Logger): void;
}

/** Creates the state side of a pipeline over `stateFor`. */
export function createStateTracking(
  stateFor: (sessionId: string) => SessionState,
  logger: Logger,
): StateTracking {
  const failures: StateFailures = stateFailures();

  /** Notes a state call that worked; the first one after an outage says the outage is over. */
  function stateWorked(): void {
    const failed = failures.succeeded();
    if (failed !== undefined) {
      logger.info({ failedCalls: failed }, 'state store answers again: the state outage is over');
    }
  }

  function forget(sessionId: string, logOf: () => Logger): void {
    // Not awaited: Tropo is waiting for the answer, and the TTL removes the state anyway should
    // this fail. The delete is sent before the answer is written, so a shutdown's QUIT comes after it.
    stateFor(sessionId)
      .delete()
      .then(stateWorked, (err: unknown) => {
        const detail = toError(err);
        const message = 'could not delete the state of an ended session (it expires with its TTL)';
        if (!isStateUnavailableError(err)) {
          logOf().warn({ err: detail }, message);
        } else if (failures.failed()) {
          logOf().warn({ code: 'STATE_UNAVAILABLE', err: detail }, message);
        } else {
          logOf().debug({ code: 'STATE_UNAVAILABLE', err: detail }, message);
        }
      });
  }

  return {
    failures,
    track: (sessionId) => trackedState(() => stateFor(sessionId), stateWorked),
    forget,
  };
}
