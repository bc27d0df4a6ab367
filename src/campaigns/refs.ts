/**
 * Campaign references on a launched session: `campaign`, `reminder`, `attempt` and `campaignRef`
 * (HMAC-SHA256 over `c:r:attempt`), so only sessions the dispatcher launched can report an outcome.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The parameter names a campaign launch adds to the session. */
export const REF_PARAMETERS = ['campaign', 'reminder', 'attempt', 'campaignRef'] as const;

/** Which attempt of which reminder a session is. */
export interface CampaignRef {
  campaign: string;
  reminder: string;
  attempt: number;
}

/** Signs and verifies references with one secret (kept in Redis, shared by every instance). */
export interface RefSigner {
  /** The session parameters that carry `ref`. */
  parameters(ref: CampaignRef): Record<(typeof REF_PARAMETERS)[number], string>;
  /** The reference the parameters carry, or undefined when it is missing, malformed or forged. */
  verify(parameters: Readonly<Record<string, unknown>> | undefined): CampaignRef | undefined;
}

/** A signer over `secret`. */
export function refSigner(secret: string): RefSigner {
  const mac = (c: string, r: string, a: number) =>
    createHmac('sha256', secret).update(`${c}:${r}:${a}`).digest('base64url');
  return {
    parameters: ({ campaign, reminder, attempt }) => ({
      campaign,
      reminder,
      attempt: String(attempt),
      campaignRef: mac(campaign, reminder, attempt),
    }),
    verify(parameters) {
      if (!parameters) return undefined;
      const { campaign, reminder, attempt, campaignRef } = parameters;
      if (
        typeof campaign !== 'string' ||
        typeof reminder !== 'string' ||
        typeof campaignRef !== 'string' ||
        (typeof attempt !== 'string' && typeof attempt !== 'number')
      ) {
        return undefined;
      }
      const n = Number(attempt);
      if (!Number.isSafeInteger(n) || n < 1) return undefined;
      const expected = Buffer.from(mac(campaign, reminder, n));
      const given = Buffer.from(campaignRef);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return { campaign, reminder, attempt: n };
    },
  };
}

/** The parameters without the campaign references (what the app's params schema sees). */
export function withoutRefs<T>(parameters: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(parameters)) {
    if (!(REF_PARAMETERS as readonly string[]).includes(k)) out[k] = v;
  }
  return out;
}
