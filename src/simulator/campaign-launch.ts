/**
 * Campaign launches in the simulator: the in-process server gets an outcome reporter of its own
 * (no Redis), which accepts only references it signed with a per-run secret, and keeps every
 * `ctx.outcome` per launch so the session's transcript can show what the app reported.
 */
import { randomBytes } from 'node:crypto';
import { refSigner, type CampaignRef } from '../campaigns/refs';
import type { CampaignOutcome } from '../sdk/define-app';
import type { OutcomeReporter } from '../server/outcomes';

/** The campaign id every simulated launch carries (the reminder id tells launches apart). */
export const SIMULATED_CAMPAIGN = 'simulated';

/** One `ctx.outcome` the app made, as the reporter received it. */
export interface ReportedOutcome {
  outcome: CampaignOutcome;
  /** False for a report after the first: a real campaign keeps only an attempt's first outcome. */
  recorded: boolean;
}

/** One launch the simulator starts like a campaign's dispatcher would. */
export interface SimulatedLaunch {
  /** The reference parameters to add to the launch (`campaign`, `reminder`, `attempt`, `campaignRef`). */
  parameters: Record<string, string>;
  /** The signature, which the transcript hides (it is what lets a session report). */
  secret: string;
  /** The outcomes reported for this launch since the last call. */
  take: () => ReportedOutcome[];
}

/** The reporter the in-process server uses, and the launches it accepts. */
export interface SimulatedCampaigns {
  reporter: OutcomeReporter;
  /** A new launch reference, unique in this run. */
  launch: () => SimulatedLaunch;
}

/** Simulated campaigns with a secret of their own: a reference not made by `launch()` is not verified. */
export function simulatedCampaigns(): SimulatedCampaigns {
  const signer = refSigner(randomBytes(32).toString('base64url'));
  const pending = new Map<string, ReportedOutcome[]>();
  const reported = new Set<string>();
  const keyOf = (ref: CampaignRef): string => `${ref.campaign}:${ref.reminder}:${ref.attempt}`;
  return {
    reporter: {
      verify: (parameters) => signer.verify(parameters),
      report(ref, outcome) {
        const key = keyOf(ref);
        const queue = pending.get(key);
        // Verified but not launched here cannot happen (the secret is this run's); ignore it like a forgery.
        if (!queue) return Promise.resolve(false);
        const recorded = !reported.has(key);
        reported.add(key);
        queue.push({ outcome, recorded });
        return Promise.resolve(recorded);
      },
    },
    launch() {
      // 32 hex digits: a normalised snapshot shows it as <id>, like the session ids.
      const ref = {
        campaign: SIMULATED_CAMPAIGN,
        reminder: randomBytes(16).toString('hex'),
        attempt: 1,
      };
      const parameters = signer.parameters(ref);
      const key = keyOf(ref);
      pending.set(key, []);
      return {
        parameters,
        secret: parameters.campaignRef,
        take: () => (pending.get(key) ?? []).splice(0),
      };
    },
  };
}
