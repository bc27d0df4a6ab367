/**
 * Tells the first state-store failure of an outage from the ones that follow, so that an outage is
 * logged once (loudly, with its cause) and not once per request.
 *
 * An outage opens with a StateUnavailableError and closes with the next state call that succeeds.
 * That covers what the store's own health cannot see: a Redis that hangs while its connection stays up.
 */

/** The outage bookkeeping of one server process. */
export interface StateFailures {
  /** Notes a failure; true when it opens an outage (log it loudly), false while one is already open. */
  failed(): boolean;
  /** Notes a success; when it closes an outage, returns how many failures that outage counted. */
  succeeded(): number | undefined;
}

/** Creates the bookkeeping, with no outage open. */
export function stateFailures(): StateFailures {
  let failures = 0;
  return {
    failed() {
      failures += 1;
      return failures === 1;
    },
    succeeded() {
      if (failures === 0) return undefined;
      const counted = failures;
      failures = 0;
      return counted;
    },
  };
}
