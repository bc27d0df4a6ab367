/**
 * Campaign metrics for `GET /metrics`: launches by app and result (counted as they happen),
 * reminders by status, queue depth and lag (read from Redis when scraped). Labels are bounded:
 * registered app names, the fixed statuses, BullMQ's job states.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Campaigns } from './index';
import type { DispatchObserver, LaunchResult } from './attempts';
import { REMINDER_STATUSES } from './model';

/** A scrape must answer while Redis is away: a read that takes longer keeps the last value. */
const READ_TIMEOUT_MS = 1000;

function bounded<T>(work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), READ_TIMEOUT_MS);
  });
  return Promise.race([work.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

const JOB_STATES = ['wait', 'delayed', 'active', 'prioritized', 'failed'] as const;

/** The campaign metrics of one server: their registry, the dispatcher's hook, and the campaigns to read. */
export interface CampaignMetrics {
  readonly registry: Registry;
  readonly observer: DispatchObserver;
  /** Gives the gauges their source once campaigns are open. */
  attach(campaigns: Campaigns): void;
}

/** Creates the campaign metrics; `appNames` are the only app labels (anything else is `unknown`). */
export function createCampaignMetrics(appNames: Iterable<string>): CampaignMetrics {
  const known = new Set(appNames);
  const registry = new Registry();
  let source: Campaigns | undefined;
  const launches = new Counter({
    name: 'tropo_campaign_launches_total',
    help: 'Campaign launch attempts by app and result (launched, failed: refused, unknown: may have been sent, skipped: already claimed or cancelled).',
    labelNames: ['app', 'result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'tropo_campaign_reminders',
    help: 'Reminders by status, over the newest 1000 campaigns.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      if (!source) return;
      const campaigns = await bounded(source.store.list(1000));
      if (!campaigns) return;
      const totals = new Map<string, number>(REMINDER_STATUSES.map((s) => [s, 0]));
      for (const campaign of campaigns) {
        for (const [status, n] of Object.entries(campaign.counts)) {
          totals.set(status, (totals.get(status) ?? 0) + n);
        }
      }
      for (const [status, n] of totals) this.labels(status).set(n);
    },
  });
  new Gauge({
    name: 'tropo_campaign_queue_jobs',
    help: 'Launch jobs in the campaign queue by state (delayed: not yet due; wait: due, held by the rate).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (!source) return;
      const counts = await bounded(source.dispatcher.launches.getJobCounts(...JOB_STATES));
      if (!counts) return;
      for (const state of JOB_STATES) this.labels(state).set(counts[state] ?? 0);
    },
  });
  new Gauge({
    name: 'tropo_campaign_queue_lag_seconds',
    help: 'How long the oldest due launch has waited past its due time (0 when none waits).',
    registers: [registry],
    async collect() {
      if (!source) return;
      const [oldest] = await source.dispatcher.launches.getJobs(
        ['wait', 'prioritized'],
        0,
        0,
        true,
      );
      const due = oldest ? oldest.timestamp + (oldest.delay ?? 0) : Date.now();
      this.set(Math.max(0, (Date.now() - due) / 1000));
    },
  });
  return {
    registry,
    observer: {
      launch: (app: string, result: LaunchResult) =>
        launches.labels(known.has(app) ? app : 'unknown', result).inc(),
    },
    attach(campaigns) {
      source = campaigns;
    },
  };
}
