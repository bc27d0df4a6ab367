/** The server process: loads config and apps, listens (or runs the workers that do), and shuts down gracefully on SIGTERM/SIGINT. */
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from './app';
import { startCampaigns } from './campaigns';
import { createCampaignMetrics } from '../campaigns/metrics';
import { assertStateShared, startPrimary, workerCount } from './cluster';
import {
  ConfigError,
  environment,
  loadConfig,
  loadDotEnv,
  type Config,
  type ConfigMode,
} from './config';
import { clientErrorHandler } from '../server/http/client-error';
import { drainable } from '../server/http/graceful';
import { createLogger, type Logger } from './logger';
import { configuredSecrets } from '../server/secrets';
import { createMetrics } from '../server/metrics';
import { guardUnhandledRejections } from './process-guards';
import { loadApps } from '../server/registry';
import type { AppEnvironment } from '../sdk/define-app';
import { createStateStore, type StateStore } from '../state';

/** A running server and the way to stop it. */
export interface RunningServer {
  server: Server;
  url: string;
  config: Config;
  logger: Logger;
  /**
   * Graceful stop: /readyz turns 503, then (after SHUTDOWN_DELAY_MS) the listener stops, requests
   * in flight finish (bounded by SHUTDOWN_TIMEOUT_MS), and the state store closes.
   */
  close: () => Promise<void>;
}

const wait = (ms: number) =>
  new Promise<void>((resolve) => {
    if (ms > 0) setTimeout(resolve, ms);
    else resolve();
  });

/** The URL of a bound address, and where this machine reaches it (loopback when it is every interface). */
export function listeningUrls(address: AddressInfo): { bound: string; local: string } {
  const hostOf = (a: string) => (a.includes(':') ? `[${a}]` : a);
  const local =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '::1'
        : address.address;
  return {
    bound: `http://${hostOf(address.address)}:${address.port}`,
    local: `http://${hostOf(local)}:${address.port}`,
  };
}

/** Starts the server with `config` and resolves once it listens. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel, secrets: configuredSecrets(config) }),
  options: {
    /** Tests of slow clients check the timeouts more often than every second. */
    connectionsCheckingIntervalMs?: number;
    /** The environment each app's settings are read from (default: nothing set). */
    env?: AppEnvironment;
  } = {},
): Promise<RunningServer> {
  const registry = loadApps(undefined, config.apps, options.env);
  const appNames = registry.list().map((a) => a.name);
  const campaignMetrics = config.redisUrl ? createCampaignMetrics(appNames) : undefined;
  const metrics = createMetrics({
    appNames,
    ...(campaignMetrics ? { extra: [campaignMetrics.registry] } : {}),
  });
  const state: StateStore = createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
    maxBytes: config.stateMaxBytes,
    maxBytesPerSession: config.stateMaxBytesPerSession,
    onEvict: metrics.stateEvicted,
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    log: logger.child({ component: 'state' }),
  });
  let shuttingDown = false;
  // With REDIS_URL every instance dispatches campaigns: no separate worker command is needed.
  const campaigns = await startCampaigns(config, logger, registry, {
    ...(campaignMetrics ? { observer: campaignMetrics.observer } : {}),
    // A launch this instance cannot answer (its state store is down, or Redis just came back and
    // the store has not reconnected yet) waits instead of becoming an apology and an `unknown`.
    canServe: () => state.health().ready,
  });
  if (campaigns) campaignMetrics?.attach(campaigns);
  const app = createApp(config, {
    logger,
    registry,
    state,
    metrics,
    isShuttingDown: () => shuttingDown,
    ...(campaigns ? { campaigns } : {}),
  });

  const server = createServer({
    headersTimeout: config.http.headersTimeoutMs,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // Node checks the two timeouts above every this often (default 30 s, too coarse for them).
    connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 1000,
  });
  // Requests Node's parser refuses (bad method, huge headers, timeouts) get JSON, not an empty 400.
  server.on('clientError', clientErrorHandler(logger));
  // Tracking first, then the app: see drainable().
  const drain = drainable(server);
  server.on('request', app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await campaigns?.close();
    throw err;
  });
  // The address really bound (PORT=0 picks a port; a host name resolves to one address).
  const address = server.address() as AddressInfo;
  const { bound, local: url } = listeningUrls(address);
  const hint = bound === url ? '' : `; on this machine: ${url}`;
  logger.info(
    {
      port: address.port,
      host: config.host,
      address: address.address,
      url,
      apps: registry.list().map((a) => a.name),
    },
    `listening on ${bound} (pid ${process.pid}${hint})`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      if (config.shutdownDelayMs > 0) {
        logger.info(
          { delayMs: config.shutdownDelayMs },
          'shutting down: /readyz answers 503, still serving until the delay ends',
        );
        await wait(config.shutdownDelayMs);
      }
      logger.info(
        { inFlight: drain.inFlight(), timeoutMs: config.shutdownTimeoutMs },
        'shutting down: listener closed, finishing requests in flight',
      );
      const outcome = await drain.drain(config.shutdownTimeoutMs);
      if (outcome.forced) {
        logger.warn(
          { timeoutMs: config.shutdownTimeoutMs, abandoned: outcome.abandoned },
          'shutdown deadline reached: closed the connections still open',
        );
      }
      // The campaign workers close before their Redis connections (launches in progress finish).
      await campaigns?.close();
      await state.close();
      logger.info('shut down');
    })();
    return closing;
  };
  return { server, url, config, logger, close };
}

/** Runs the primary of several workers (WEB_CONCURRENCY > 1): signals go to every worker. */
function runPrimary(config: Config, workers: number): void {
  // Written synchronously: pino's default stdout stream writes in the background and its flush
  // does not wait for a write under way, so the primary's last line ('every worker has exited')
  // was now and then cut off by process.exit. The primary logs a few lines in its whole life.
  const logger = createLogger({
    level: config.logLevel,
    secrets: configuredSecrets(config),
    destination: pino.destination({ dest: 1, sync: true }),
  }).child({ component: 'cluster' });
  const primary = startPrimary({ workers, logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    primary.stop(signal);
  };
  // `on`, not `once`: Ctrl-C signals the primary and its workers together, and a second signal
  // must not kill the primary while its workers are still finishing their requests.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  void primary.exited.then((code) => process.exit(code));
}

/**
 * Runs the server as this process: `.env` loaded, signals handled, exit code set. With
 * WEB_CONCURRENCY > 1 this process becomes the cluster primary and each worker it forks runs this
 * same function, taking the server path.
 */
export async function main(mode: ConfigMode = {}): Promise<void> {
  loadDotEnv();
  const env = environment();
  const config = loadConfig(env, mode);
  if (cluster.isPrimary) {
    const workers = workerCount(config.webConcurrency);
    assertStateShared(workers, config);
    if (workers > 1 && config.phoneUi) {
      // A phone session lives in one process; its stream and its answers could reach two workers.
      throw new ConfigError([
        `PHONE_UI: the browser phone runs in one process, but WEB_CONCURRENCY gives ${workers} workers; set WEB_CONCURRENCY=1 or PHONE_UI=off`,
      ]);
    }
    if (workers > 1) {
      // Checked here too, so a missing app setting stops start-up once, before any worker forks.
      loadApps(undefined, config.apps, env);
      runPrimary(config, workers);
      return;
    }
  }
  const running = await startServer(config, undefined, { env });
  guardUnhandledRejections(running.logger);
  let signalled = false;
  const stop = (signal: NodeJS.Signals | 'disconnect') => {
    if (signalled) {
      // A worker hears Ctrl-C twice (from the terminal and from the primary): the echo is ignored,
      // and the primary decides when a drain has taken too long.
      if (cluster.isWorker) return;
      // A second signal (Ctrl-C twice) means "now": skip the drain.
      running.logger.warn({ signal }, 'second signal: exiting without finishing the drain');
      process.exit(1);
    }
    signalled = true;
    running.logger.info({ signal }, 'signal received');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: in a cluster, Ctrl-C reaches a worker both from the terminal and from the
  // primary; the second signal must not cut short the graceful close the first one began.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A worker whose primary is gone receives no more connections: it finishes its requests and ends.
  if (cluster.isWorker) process.once('disconnect', () => stop('disconnect'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
