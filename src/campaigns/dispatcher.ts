/**
 * The dispatcher on BullMQ: one delayed job per attempt (`jobId` = campaign, reminder, attempt, so
 * adding twice cannot dial twice), a worker paced by BullMQ's limiter (global across instances),
 * a claim before each launch, retries, quiet hours, and outcome timeouts.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isSessionApiError, type SessionCreated } from '../session-api';
import {
  launchFailure,
  launchJobId,
  timeoutJobId,
  type AttemptJob,
  type DispatchObserver,
  type Launcher,
} from './attempts';
import {
  OUTCOMES,
  RETRYABLE,
  type CampaignSettings,
  type Outcome,
  type ReminderStatus,
} from './model';
import type { RefSigner } from './refs';
import type { CampaignStore } from './store';
import { afterQuietHours } from './time';

/** The queue of launch attempts (contract name). */
export const LAUNCH_QUEUE = 'tropo-campaign-launches';
/** The queue of outcome deadlines: not paced, so waiting for outcomes never slows launches. */
export const TIMEOUT_QUEUE = 'tropo-campaign-timeouts';
/** BullMQ's key prefix for both queues. */
export const QUEUE_PREFIX = 'tropo:bull';
/** Head room after the outcome timeout for a launch still waiting on the Session API (its timeout is 10 s). */
const LAUNCH_MARGIN_MS = 30_000;

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  /** An ioredis connection with `maxRetriesPerRequest: null`, as BullMQ requires. */
  connection: Redis;
  store: CampaignStore;
  settings: CampaignSettings;
  launch: Launcher;
  signer: RefSigner;
  log: Logger;
  observer?: DispatchObserver;
  now?: () => number;
  /** The longest a launch call may take (the outcome deadline allows for it); default 30 s. */
  launchMarginMs?: number;
  /**
   * Whether this instance can answer the sessions it launches (its state store is up). While it
   * cannot, due launches wait: a call placed now would hear the fallback apology and end `unknown`.
   */
  canServe?: () => boolean;
}

/** Connection errors repeat many times a second while Redis is down: one log line per this. */
const ERROR_LOG_EVERY_MS = 30_000;
/** How long a launch held back (the instance cannot serve sessions) waits before it looks again. */
const HOLD_MS = 500;

/** Queues, workers and the rules of an attempt's life. */
export class Dispatcher {
  readonly launches: Queue<AttemptJob>;
  readonly timeouts: Queue<AttemptJob>;
  private workers: Worker<AttemptJob>[] = [];
  private readonly apps = new Map<string, string>();
  private readonly now: () => number;
  /** Set while launches are held back, so the hold is logged once, not once per job. */
  private holding = false;

  constructor(private readonly deps: DispatcherDeps) {
    const opts = { connection: deps.connection, prefix: QUEUE_PREFIX };
    this.launches = new Queue<AttemptJob>(LAUNCH_QUEUE, opts);
    this.timeouts = new Queue<AttemptJob>(TIMEOUT_QUEUE, opts);
    // Without a listener BullMQ prints each connection error to stderr, many a second while
    // Redis is down.
    for (const queue of [this.launches, this.timeouts]) {
      queue.on('error', (err) => this.connectionError('campaign queue error', err));
    }
    this.now = deps.now ?? Date.now;
  }

  private lastErrorLog = 0;
  private errorsSinceLog = 0;

  /** Logs a queue or worker connection error at most every ERROR_LOG_EVERY_MS, with how many were left out. */
  private connectionError(message: string, err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_EVERY_MS) {
      this.errorsSinceLog += 1;
      return;
    }
    this.deps.log.error({ err, alsoSince: this.errorsSinceLog }, message);
    this.lastErrorLog = now;
    this.errorsSinceLog = 0;
  }

  /** Queues attempts at their due times (already moved out of quiet hours by the caller). */
  async schedule(
    c: string,
    attempts: readonly { r: string; a: number; at: number }[],
  ): Promise<void> {
    const now = this.now();
    for (let i = 0; i < attempts.length; i += 500) {
      await this.launches.addBulk(
        attempts.slice(i, i + 500).map(({ r, a, at }) => ({
          name: 'launch',
          data: { c, r, a },
          opts: {
            jobId: launchJobId(c, r, a),
            delay: Math.max(0, at - now),
            // Re-running a job is safe (the claim decides), so a Redis blip may retry it.
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      );
    }
  }

  /** Removes the pending jobs of cancelled attempts (the claim would skip them anyway). */
  async unschedule(c: string, attempts: readonly { id: string; attempt: number }[]): Promise<void> {
    for (const { id, attempt } of attempts) {
      await this.launches.remove(launchJobId(c, id, attempt));
    }
  }

  /** Starts this instance's workers: launches paced at CAMPAIGN_LAUNCH_RATE across all instances. */
  start(): void {
    if (this.workers.length > 0) return;
    const { connection, settings, log } = this.deps;
    const launcher = new Worker<AttemptJob>(
      LAUNCH_QUEUE,
      (job, token) => this.runLaunch(job, token),
      {
        connection,
        prefix: QUEUE_PREFIX,
        // BullMQ's limiter (global through Redis) keeps workers from taking jobs ahead of the rate;
        // the launch slots (runLaunch) space the calls themselves evenly within each second.
        limiter: { max: settings.launchRate, duration: 1000 },
        concurrency: Math.min(100, Math.max(2, settings.launchRate)),
        // A job whose worker died re-runs elsewhere; the claim turns it into `unknown`, never a call.
        maxStalledCount: 10,
      },
    );
    const deadlines = new Worker<AttemptJob>(TIMEOUT_QUEUE, (job) => this.runTimeout(job), {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: 10,
      maxStalledCount: 10,
    });
    for (const worker of [launcher, deadlines]) {
      worker.on('failed', (job, err) =>
        log.error({ err, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'campaign job failed'),
      );
      worker.on('error', (err) => this.connectionError('campaign worker error', err));
    }
    this.workers = [launcher, deadlines];
  }

  /** Closes the workers (jobs in progress finish), then the queues; the connection stays open. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
    await Promise.all([this.launches.close(), this.timeouts.close()]);
  }

  /**
   * Records the outcome of attempt `a`: the first one wins. no-answer/busy/failed schedule the next
   * attempt after CAMPAIGN_RETRY_DELAY_SECONDS (quiet hours applied) while attempts remain.
   */
  async recordOutcome(c: string, r: string, a: number, outcome: Outcome): Promise<boolean> {
    const { store, settings } = this.deps;
    const now = this.now();
    // `unknown` too: a late report from a call we lost track of tells what really happened.
    const from: ReminderStatus[] = ['launching', 'launched', 'unknown'];
    if (RETRYABLE.has(outcome) && a < settings.attempts && !(await store.isCancelled(c))) {
      const record = await store.reminder(c, r);
      if (!record) return false;
      const next = afterQuietHours(
        now + settings.retryDelaySeconds * 1000,
        record.z,
        settings.quietHours,
      );
      const applied = await store.transition(c, r, {
        from,
        attempt: a,
        patch: { s: 'scheduled', o: outcome, n: next, u: now },
      });
      if (!applied) return false;
      await this.schedule(c, [{ r, a: a + 1, at: next }]);
      return true;
    }
    const applied = await store.transition(c, r, {
      from,
      attempt: a,
      patch: { s: outcome, o: outcome, u: now },
    });
    return applied !== undefined;
  }

  private async appOf(c: string): Promise<string | undefined> {
    let app = this.apps.get(c);
    if (app === undefined) {
      app = await this.deps.store.appOf(c);
      if (app !== undefined) this.apps.set(c, app);
    }
    return app;
  }

  private async runLaunch(job: Job<AttemptJob>, token: string | undefined): Promise<void> {
    const { store, settings, log, observer, signer } = this.deps;
    const { c, r, a } = job.data;
    const app = await this.appOf(c);
    const record = await store.reminder(c, r);
    if (app === undefined || !record) return;
    const now = this.now();
    // A job can come due late (a backlog behind the rate): quiet hours are checked again.
    if (record.s === 'scheduled' && record.a === a - 1) {
      const later = afterQuietHours(now, record.z, settings.quietHours);
      if (later > now) {
        await store.transition(c, r, { from: ['scheduled'], attempt: a - 1, patch: { n: later } });
        await job.moveToDelayed(later, token);
        throw new DelayedError();
      }
    }
    // The slot first, the claim after it: a claim held while waiting for a slot (up to a second
    // with `rate` jobs active) would turn into `unknown` if this instance died meanwhile, though
    // nobody had been called. Serving is looked at again after the slot: waiting for it may have
    // spanned a Redis restart that the state store has not recovered from yet.
    if (!this.canServe()) return this.hold(job, token);
    await this.launchSlot();
    if (!this.canServe()) return this.hold(job, token);
    const claim = await store.claim(c, r, a, this.now());
    if (claim.kind === 'unknown') {
      log.warn(
        { campaign: c, reminder: r, attempt: a },
        'a launch was in flight when its worker stopped: unknown',
      );
      observer?.launch(app, 'unknown');
      return;
    }
    if (claim.kind !== 'claimed') {
      observer?.launch(app, 'skipped');
      return;
    }
    // The deadline is queued alongside the call, not between the slot and it (that would bunch
    // launches); the reminder becomes `launched` only once the deadline is there, so a crash at
    // any point still ends in `unknown`. Its failure is awaited below, not left unhandled.
    const deadline = this.timeouts.add(
      'timeout',
      { c, r, a },
      {
        jobId: timeoutJobId(c, r, a),
        delay:
          settings.outcomeTimeoutSeconds * 1000 + (this.deps.launchMarginMs ?? LAUNCH_MARGIN_MS),
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      },
    );
    deadline.catch(() => undefined);
    let created: SessionCreated;
    try {
      created = await this.deps.launch(app, {
        ...claim.record.p,
        app,
        ...signer.parameters({ campaign: c, reminder: r, attempt: a }),
      });
    } catch (err) {
      await deadline;
      const kind = launchFailure(err);
      const detail = isSessionApiError(err) ? { code: err.code, message: err.message } : { err };
      observer?.launch(app, kind);
      if (kind === 'failed') {
        log.warn({ campaign: c, reminder: r, attempt: a, ...detail }, 'campaign launch refused');
        await this.recordOutcome(c, r, a, 'failed');
      } else {
        log.error(
          { campaign: c, reminder: r, attempt: a, ...detail },
          'campaign launch may have been sent: unknown',
        );
        await store.transition(c, r, {
          from: ['launching'],
          attempt: a,
          patch: { s: 'unknown', o: 'unknown', u: this.now() },
        });
      }
      return;
    }
    await deadline;
    observer?.launch(app, 'launched');
    const launched = await store.transition(c, r, {
      from: ['launching'],
      attempt: a,
      patch: { s: 'launched', l: created.id, u: this.now() },
    });
    // The call may have reported its outcome before the Session API answered: keep it, note the id.
    if (!launched) {
      await store.transition(c, r, {
        from: [...STATUSES_AFTER_LAUNCH],
        attempt: a,
        patch: { l: created.id },
      });
    }
  }

  /** Whether this instance can serve sessions; logs when launches resume after a hold. */
  private canServe(): boolean {
    if (this.deps.canServe?.() === false) return false;
    if (this.holding) {
      this.holding = false;
      this.deps.log.info({ code: 'CAMPAIGN_LAUNCHES_RESUMED' }, 'campaign launches resumed');
    }
    return true;
  }

  /** Puts a due launch back for HOLD_MS: not an attempt, its reminder unchanged, no retry counted. */
  private async hold(job: Job<AttemptJob>, token: string | undefined): Promise<never> {
    if (!this.holding) {
      this.holding = true;
      this.deps.log.warn(
        { code: 'CAMPAIGN_LAUNCHES_HELD' },
        'campaign launches held: this instance cannot serve sessions (state store down)',
      );
    }
    await job.moveToDelayed(this.now() + HOLD_MS, token);
    throw new DelayedError();
  }

  /**
   * Waits for this launch's slot: one per 1000/rate ms on Redis's clock, whichever instance
   * takes it, so no one-second window holds more than rate (+1) calls and per-job overhead
   * does not lower the rate. A slot woken late (the event loop stalled) is given up for a new
   * one: sent late, it would bunch up with the launches after it.
   */
  private async launchSlot(): Promise<void> {
    const interval = 1000 / this.deps.settings.launchRate;
    for (;;) {
      // The slot on our clock, at the earliest it can be: a stall while Redis answered counts as lateness.
      const asked = Date.now();
      const wait = await this.deps.store.reserveLaunchSlot(interval);
      const slot = asked + wait;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (Date.now() - slot <= interval / 2) return;
    }
  }

  private async runTimeout(job: Job<AttemptJob>): Promise<void> {
    const { store } = this.deps;
    const { c, r, a } = job.data;
    const record = await store.reminder(c, r);
    if (!record || record.a !== a) return;
    if (record.s === 'launching' || record.s === 'launched') {
      await store.transition(c, r, {
        from: ['launching', 'launched'],
        attempt: a,
        patch: { s: 'unknown', o: 'unknown', u: this.now() },
      });
      return;
    }
    // A retry whose job was lost (a crash between recording the outcome and queueing it) is queued
    // again; BullMQ ignores the add when the job is still there.
    if (record.s === 'scheduled' && record.n !== null) {
      await this.schedule(c, [{ r, a: a + 1, at: record.n }]);
    }
  }
}

/** Statuses an attempt can have once Tropo took it: an outcome, unknown, or its retry scheduled. */
const STATUSES_AFTER_LAUNCH: readonly ReminderStatus[] = [...OUTCOMES, 'unknown', 'scheduled'];
