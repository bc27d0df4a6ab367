/** Campaigns as one unit: opens the Redis connections, store, dispatcher and service, starts this instance's workers, and closes them in order. */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Dispatcher, type DispatchObserver, type Launcher } from './dispatcher';
import type { AppLookup } from './import';
import type { CampaignSettings, Outcome } from './model';
import { refSigner, type CampaignRef, type RefSigner } from './refs';
import { CampaignService } from './service';
import { CampaignStore } from './store';

export * from './model';
export { REF_PARAMETERS, withoutRefs, type CampaignRef } from './refs';
export type { CampaignService, ServiceAnswer, CreateRequest } from './service';
export type { LaunchResult, DispatchObserver, Launcher } from './dispatcher';

/** What opening campaigns needs. */
export interface CampaignsOptions {
  redisUrl: string;
  settings: CampaignSettings;
  lookupApp: AppLookup;
  launch: Launcher;
  log: Logger;
  observer?: DispatchObserver;
  /** Run this instance's workers (default true: every server with REDIS_URL dispatches). */
  dispatch?: boolean;
  now?: () => number;
  /** The longest a launch call may take (default 30 s; tests shorten it). */
  launchMarginMs?: number;
  /** Whether this instance can serve the sessions it launches; launches wait while it cannot. */
  canServe?: () => boolean;
}

/** Running campaigns: the service behind the routes, outcome reporting for the pipeline, and close. */
export interface Campaigns {
  readonly service: CampaignService;
  readonly store: CampaignStore;
  readonly dispatcher: Dispatcher;
  /** The reference a session's parameters carry, when the dispatcher signed it. */
  verify(parameters: Readonly<Record<string, unknown>> | undefined): CampaignRef | undefined;
  /** Records an app's outcome for the attempt `ref` names; false when another outcome came first. */
  report(ref: CampaignRef, outcome: Outcome): Promise<boolean>;
  /** Workers first (launches in progress finish), then the queues, then Redis. */
  close(): Promise<void>;
}

/** Connects to Redis, loads the shared signing secret, warns when Redis persists nothing, starts the workers. */
export async function openCampaigns(options: CampaignsOptions): Promise<Campaigns> {
  const { log } = options;
  // The store's commands fail fast while Redis is down; BullMQ requires retries without limit.
  const storeRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  const queueRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  for (const [name, conn] of [
    ['store', storeRedis],
    ['queue', queueRedis],
  ] as const) {
    // ioredis reconnects by itself; each error is logged (without the URL, which may hold a password).
    conn.on('error', (err: Error) =>
      log.warn({ connection: name, message: err.message }, 'campaign Redis error'),
    );
  }
  const store = new CampaignStore(storeRedis);
  // The dispatcher's own steps wait through a Redis restart (commands queue until it is back)
  // rather than fail half-way through an attempt, which would leave it `unknown`.
  const dispatchStore = new CampaignStore(queueRedis);
  let signer: RefSigner;
  try {
    signer = refSigner(await store.secret());
    await warnWithoutPersistence(store, log);
  } catch (err) {
    storeRedis.disconnect();
    queueRedis.disconnect();
    throw err;
  }
  const dispatcher = new Dispatcher({
    connection: queueRedis,
    store: dispatchStore,
    settings: options.settings,
    launch: options.launch,
    signer,
    log,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.launchMarginMs === undefined ? {} : { launchMarginMs: options.launchMarginMs }),
    ...(options.canServe ? { canServe: options.canServe } : {}),
  });
  const service = new CampaignService(
    store,
    dispatcher,
    options.settings,
    options.lookupApp,
    options.now,
  );
  if (options.dispatch ?? true) {
    // Node loads its fetch implementation on the first call, blocking the event loop for a
    // moment: done now, not between the first paced launches (it would bunch them up).
    await fetch('data:,').then((r) => r.arrayBuffer());
    dispatcher.start();
  }
  let closing: Promise<void> | undefined;
  return {
    service,
    store,
    dispatcher,
    verify: (parameters) => signer.verify(parameters),
    report: (ref, outcome) =>
      dispatcher.recordOutcome(ref.campaign, ref.reminder, ref.attempt, outcome),
    close() {
      closing ??= (async () => {
        await dispatcher.close();
        await Promise.allSettled([storeRedis.quit(), queueRedis.quit()]);
      })();
      return closing;
    },
  };
}

/** Logs one warning when Redis keeps neither an AOF nor snapshots: a restart would lose every campaign. */
async function warnWithoutPersistence(store: CampaignStore, log: Logger): Promise<void> {
  try {
    const { appendonly, save } = await store.persistence();
    if (!appendonly && !save) {
      log.warn(
        { code: 'REDIS_NOT_PERSISTENT' },
        'Redis persists nothing (appendonly no, no save points): a Redis restart loses every campaign. Run it with --appendonly yes (docker compose does).',
      );
    } else if (!appendonly) {
      log.info(
        { code: 'REDIS_NOT_PERSISTENT' },
        'Redis keeps snapshots only (appendonly no): a Redis restart may lose recent campaign changes. Run it with --appendonly yes.',
      );
    }
  } catch (err) {
    // Managed Redis often disables CONFIG: say we could not tell rather than fail the start.
    log.info(
      { message: err instanceof Error ? err.message : String(err) },
      'could not read the Redis persistence settings (CONFIG GET)',
    );
  }
}
