/** What a campaign is: reminder statuses, the settings that drive dispatch, the records kept in Redis and their public views. */
import { z } from 'zod';
import type { CampaignOutcome } from '../sdk/define-app';

/** What an app (or the dispatcher) may report as the result of one attempt. */
export const OUTCOMES = [
  'answered',
  'confirmed',
  'declined',
  'sent',
  'no-answer',
  'busy',
  'failed',
] as const satisfies readonly CampaignOutcome[];

/** Every status a reminder can have (contract: issue #13): waiting, an outcome, or neither. */
export const REMINDER_STATUSES = [
  'scheduled',
  'launching',
  'launched',
  ...OUTCOMES,
  'unknown',
  'cancelled',
] as const;

export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** What `ctx.outcome` reports (the SDK names them; OUTCOMES lists each, a unit test keeps them equal). */
export type Outcome = CampaignOutcome;

/** Outcomes that earn another attempt while attempts remain. */
export const RETRYABLE: ReadonlySet<ReminderStatus> = new Set(['no-answer', 'busy', 'failed']);

/** Statuses still waiting for something to happen; every other status is final. */
export const PENDING: ReadonlySet<ReminderStatus> = new Set(['scheduled', 'launching', 'launched']);

/** The final statuses: an outcome, `unknown` or `cancelled`. */
export const FINAL_STATUSES: readonly ReminderStatus[] = REMINDER_STATUSES.filter(
  (s) => !PENDING.has(s),
);

/** A campaign's state as `GET /api/campaigns/:id` reports it. */
export type CampaignState = 'scheduled' | 'running' | 'done' | 'cancelled';

/** Quiet hours as minutes after local midnight; `start > end` spans midnight (21:00-08:00). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** The CAMPAIGN_* settings (src/runtime/config.ts reads them). */
export interface CampaignSettings {
  /** Launches per second across every instance. */
  launchRate: number;
  /** Attempts per reminder, the first one included. */
  attempts: number;
  retryDelaySeconds: number;
  outcomeTimeoutSeconds: number;
  quietHours: QuietHours | undefined;
  maxReminders: number;
  maxBytes: number;
  /** IANA zone for reminders that name none (DEFAULT_TIME_ZONE). */
  defaultTimeZone: string;
}

/** The defaults the contract names. */
export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  launchRate: 1,
  attempts: 3,
  retryDelaySeconds: 600,
  outcomeTimeoutSeconds: 900,
  quietHours: undefined,
  maxReminders: 100_000,
  maxBytes: 20 * 1024 * 1024,
  defaultTimeZone: 'UTC',
};

/** Reminder ids go into queue job ids and CSV reports: a safe, short alphabet. */
export const REMINDER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parameter names the server sets itself on a campaign launch: a row may not carry them. */
export const RESERVED_PARAMETERS: ReadonlySet<string> = new Set([
  'token',
  'action',
  'app',
  'campaign',
  'reminder',
  'attempt',
  'campaignRef',
]);

/** One reminder as the import checked it: what to launch, when, and in which zone. */
export interface CheckedReminder {
  id: string;
  /** Due instant (epoch ms), before quiet hours. */
  dueAt: number;
  timeZone: string;
  /** The session parameters as Tropo will receive them (strings, the app's own names). */
  parameters: Record<string, string>;
}

/** A campaign ready to be stored. */
export interface CheckedCampaign {
  app: string;
  name: string;
  reminders: CheckedReminder[];
}

/**
 * A reminder as Redis holds it: compact JSON, short keys (100,000 of them must fit).
 * s status, a attempts made, n next attempt (ms) or null, l last session id, o last outcome,
 * u updated (ms), z time zone, p parameters.
 */
export interface ReminderRecord {
  s: ReminderStatus;
  a: number;
  n: number | null;
  l: string | null;
  o: Outcome | 'unknown' | null;
  u: number;
  z: string;
  p: Record<string, string>;
}

/** A reminder as the API shows it. */
export interface ReminderView {
  id: string;
  status: ReminderStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastSessionId: string | null;
  outcome: string | null;
  updatedAt: string;
}

/** A campaign's summary (the list) and its header (one campaign). */
export interface CampaignSummary {
  id: string;
  app: string;
  name: string;
  createdAt: string;
  state: CampaignState;
  total: number;
  /** Attempts claimed so far (each launched at most once). */
  launches: number;
  counts: Partial<Record<ReminderStatus, number>>;
}

/** The public view of a reminder record. */
export function reminderView(id: string, record: ReminderRecord): ReminderView {
  return {
    id,
    status: record.s,
    attempts: record.a,
    nextAttemptAt: record.n === null ? null : new Date(record.n).toISOString(),
    lastSessionId: record.l,
    outcome: record.o,
    updatedAt: new Date(record.u).toISOString(),
  };
}

/** The campaign state its counts imply. */
export function campaignState(
  cancelled: boolean,
  counts: Partial<Record<ReminderStatus, number>>,
  launches: number,
): CampaignState {
  if (cancelled) return 'cancelled';
  let pending = 0;
  for (const status of PENDING) pending += counts[status] ?? 0;
  if (pending === 0) return 'done';
  return launches === 0 ? 'scheduled' : 'running';
}

/** The JSON body of `POST /api/campaigns`; rows are checked one by one afterwards (import.ts). */
export const campaignBodySchema = z.object({
  app: z.string().min(1, 'is required'),
  name: z.string().max(200, 'must be at most 200 characters').optional(),
  reminders: z.array(z.unknown()).min(1, 'must hold at least one reminder'),
});

/** One JSON row before its checks. */
export const reminderRowSchema = z.object({
  id: z.string({ message: 'is required' }),
  at: z.string({ message: 'is required' }),
  timeZone: z.string().optional(),
  parameters: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
      message: 'must be an object of strings, numbers or booleans',
    })
    .optional(),
});
