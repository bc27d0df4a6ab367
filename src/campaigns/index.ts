/** Campaigns as one unit: opens the Redis connections, store, dispatcher and service, starts this instance's workers, and closes them in order. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DispatchObserver, Launcher } from './attempts';
import { Dispatcher } from './dispatcher';
import type { AppLookup } from './import';
import type { CampaignSettings, Outcome } from './model';
import { refSigner, type CampaignRef, type RefSigner } from './refs';
import { CampaignService } from './service';
import { CampaignStore } from './store';

export * from './model';
export { REF_PARAMETERS, withoutRefs, type CampaignRef } from './refs';
export type { CampaignService, ServiceAnswer, CreateRequest } from './service';
export type { LaunchResult, DispatchObserver, Launcher } from './attempts';

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
  /** Ready once the shared secret is loaded (and the workers started); else why not, for /readyz. */
  health(): { ready: true } | { ready: false; reason: string };
  /** Workers first (launches in progress finish), then the queues, then Redis. */
  close(): Promise<void>;
}

/** How long opening waits for Redis before the server starts without campaigns (they follow). */
const OPEN_WAIT_MS = 5000;
/** Pauses between tries to load the shared secret while Redis does not answer. */
const SECRET_RETRY_PAUSES_MS = [250, 500, 1000, 2000, 5000];

/** Logs a connection's errors once per outage (ioredis retries every few ms), and its return. */
function watchConnection(name: string, conn: Redis, log: Logger): void {
  let down = false;
  // The error text only: the URL may hold a password.
  conn.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn(
      { connection: name, message: err.message },
      'campaign Redis unavailable: retrying until it answers',
    );
  });
  conn.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ connection: name }, 'campaign Redis answers again');
  });
}

/** The signer once the shared secret is loaded; until then nothing verifies and nothing is signed. */
function deferredSigner(): RefSigner & { load(secret: string): void; loaded(): boolean } {
  let signer: RefSigner | undefined;
  return {
    load: (secret) => void (signer = refSigner(secret)),
    loaded: () => signer !== undefined,
    verify: (parameters) => signer?.verify(parameters),
    parameters(ref) {
      // The workers start only after the load, so no launch gets here first.
      if (!signer) throw new Error('the campaign secret is not loaded yet');
      return signer.parameters(ref);
    },
  };
}

/**
 * Connects to Redis, loads the shared signing secret, warns when Redis persists nothing, starts the
 * workers. When Redis does not answer within OPEN_WAIT_MS it resolves anyway (the server starts,
 * /readyz says why it is not ready) and goes on trying; campaigns start once Redis answers.
 */
export async function openCampaigns(options: CampaignsOptions): Promise<Campaigns> {
  const { log } = options;
  // The store's commands fail fast while Redis is down; BullMQ requires retries without limit.
  const storeRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  const queueRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  watchConnection('store', storeRedis, log);
  watchConnection('queue', queueRedis, log);
  const store = new CampaignStore(storeRedis);
  // The dispatcher's own steps wait through a Redis restart (commands queue until it is back)
  // rather than fail half-way through an attempt, which would leave it `unknown`.
  const dispatchStore = new CampaignStore(queueRedis);
  const signer = deferredSigner();
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
  const dispatch = options.dispatch ?? true;
  let closing: Promise<void> | undefined;
  let started = false;
  // Cuts a pause between tries short when the server closes while Redis is still away.
  const stopTrying = new AbortController();
  const opening = (async () => {
    for (let tries = 0; ; tries += 1) {
      if (closing) return;
      try {
        signer.load(await store.secret());
        break;
      } catch {
        // The connection's own listener has said Redis is unavailable; just try again.
        const pause = SECRET_RETRY_PAUSES_MS[Math.min(tries, SECRET_RETRY_PAUSES_MS.length - 1)];
        await sleep(pause, undefined, { signal: stopTrying.signal, ref: false }).catch(
          () => undefined,
        );
      }
    }
    await warnWithoutPersistence(store, log);
    if (dispatch && !closing) {
      // Node loads its fetch implementation on the first call, blocking the event loop for a
      // moment: done now, not between the first paced launches (it would bunch them up).
      await fetch('data:,').then((r) => r.arrayBuffer());
      if (!closing) dispatcher.start();
    }
    started = true;
  })();
  const opened = await Promise.race([
    opening.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), OPEN_WAIT_MS).unref()),
  ]);
  if (!opened) {
    log.warn(
      { code: 'CAMPAIGNS_WAITING_FOR_REDIS' },
      'campaigns wait for Redis: the server starts without them, and they start once Redis answers',
    );
    void opening.then(() => {
      if (started) log.info({ code: 'CAMPAIGNS_STARTED' }, 'campaigns started: Redis answers');
    });
  }
  return {
    service,
    store,
    dispatcher,
    verify: (parameters) => signer.verify(parameters),
    report: (ref, outcome) =>
      dispatcher.recordOutcome(ref.campaign, ref.reminder, ref.attempt, outcome),
    health: () =>
      started ? { ready: true } : { ready: false, reason: 'campaigns: waiting for Redis' },
    close() {
      closing ??= (async () => {
        stopTrying.abort();
        await opening;
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
