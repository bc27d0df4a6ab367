/**
 * Campaign outcomes on the request path: the reference a campaign launch carries is verified at
 * the session's start, kept beside the session's state (where the app's own `state.delete()` does
 * not reach) for its handlers, and `ctx.outcome(…)` reports through it. Forged or missing: nothing.
 */
import type { Logger } from 'pino';
import type { CampaignOutcome, SessionState } from '../sdk/define-app';

/** Which attempt of which campaign reminder a session is. */
export interface OutcomeRef {
  campaign: string;
  reminder: string;
  attempt: number;
}

/** What the pipeline needs of campaigns (src/campaigns provides it when Redis is configured). */
export interface OutcomeReporter {
  /** The reference the parameters carry when the dispatcher signed it; else undefined. */
  verify(parameters: Readonly<Record<string, unknown>> | undefined): OutcomeRef | undefined;
  /** Records the outcome; false when the attempt already had one. */
  report(ref: OutcomeRef, outcome: CampaignOutcome): Promise<boolean>;
}

/** The session parameters that carry a campaign reference: never part of an app's params. */
export const CAMPAIGN_REF_PARAMETERS: readonly string[] = [
  'campaign',
  'reminder',
  'attempt',
  'campaignRef',
];

/** The state entry beside the session's own where its signed reference is kept. */
function refState(stateFor: (id: string) => SessionState, sessionId: string): SessionState {
  return stateFor(`${sessionId}.campaign`);
}

const KEY = 'ref';
/** How long `ctx.outcome` waits for Redis before letting the app go on. */
const REPORT_WAIT_MS = 1000;
/**
 * How long a report that failed keeps being tried again in the background. Redis restarting (or
 * the connection coming back) takes seconds; the dispatcher accepts a late report, even after it
 * marked the attempt `unknown`, so retrying turns an outage into a delay instead of a lost outcome.
 */
export const REPORT_RETRY_FOR_MS = 60_000;
/** Pauses between tries: quick at first, then every 2 s while Redis stays away. */
const RETRY_PAUSES_MS = [100, 250, 500, 1000, 2000];

function later(ms: number): Promise<true> {
  return new Promise((resolve) => setTimeout(() => resolve(true), ms).unref());
}

/** The signed reference as the session parameters gave it, to keep and verify again later. */
function signedParameters(parameters: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of CAMPAIGN_REF_PARAMETERS) {
    const value = parameters[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/**
 * Runs `attempt` until it settles without error, pausing between tries, for at most
 * REPORT_RETRY_FOR_MS; the first failure is logged as a warning, giving up as an error (by the caller).
 */
async function retried<T>(
  attempt: () => Promise<T>,
  onFirstFailure: (err: unknown) => void,
): Promise<T> {
  const started = Date.now();
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() - started >= REPORT_RETRY_FOR_MS) throw err;
      if (tries === 0) onFirstFailure(err);
      await later(RETRY_PAUSES_MS[Math.min(tries, RETRY_PAUSES_MS.length - 1)] ?? 2000);
    }
  }
}

/** Builds `ctx.outcome` for one turn; a no-op when there is no reporter or no verified reference. */
export function outcomeReporter(
  reporter: OutcomeReporter | undefined,
  stateFor: (id: string) => SessionState,
  sessionId: string,
  logOf: () => Logger,
): {
  /** At a session's start: verifies the reference and keeps it for the handlers. */
  start(parameters: Readonly<Record<string, string>>): Promise<OutcomeRef | undefined>;
  /** The `ctx.outcome` of this turn (it never rejects: a failure is logged). */
  outcome: (outcome: CampaignOutcome) => Promise<void>;
} {
  let known: OutcomeRef | undefined;
  let looked = false;
  const find = async (): Promise<OutcomeRef | undefined> => {
    if (looked || !reporter) return known;
    // Verified again: the state entry is only as trustworthy as its signature.
    const stored = await refState(stateFor, sessionId).get<Record<string, string>>(KEY);
    known = stored ? reporter.verify(stored) : undefined;
    // Only once read: a read that failed (Redis away) is tried again.
    looked = true;
    return known;
  };
  return {
    async start(parameters) {
      looked = true;
      known = reporter?.verify(parameters);
      if (known) {
        try {
          await refState(stateFor, sessionId).set(KEY, signedParameters(parameters));
        } catch (err) {
          logOf().warn({ err }, 'could not keep the campaign reference: handlers cannot report');
        }
      }
      return known;
    },
    async outcome(outcome) {
      if (!reporter) return;
      const reporting = retried(
        async () => {
          const ref = await find();
          if (!ref) return;
          const recorded = await reporter.report(ref, outcome);
          const { campaign, reminder, attempt } = ref;
          logOf().info({ campaign, reminder, attempt, outcome, recorded }, 'campaign outcome');
        },
        (err) =>
          logOf().warn(
            { err, outcome, retryForMs: REPORT_RETRY_FOR_MS },
            'could not record the campaign outcome yet: trying again in the background',
          ),
      ).catch((err: unknown) =>
        logOf().error({ err, outcome }, 'could not record the campaign outcome: gave up'),
      );
      // A caller is on the line: while Redis is slow or away the app goes on, and the report
      // finishes (or its failure is logged) in the background.
      await Promise.race([reporting, later(REPORT_WAIT_MS)]);
    },
  };
}
