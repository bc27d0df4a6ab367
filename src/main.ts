/** The server process: loads config and apps, listens (or runs the workers that do), and shuts down gracefully on SIGTERM/SIGINT. */
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { assertStateShared, startPrimary, workerCount } from './cluster';
import { loadConfig, loadDotEnv, type Config } from './config';
import { clientErrorHandler } from './http/client-error';
import { createLogger, type Logger } from './logger';
import { guardUnhandledRejections } from './process-guards';
import { loadApps } from './registry';
import { createStateStore, type StateStore } from './state';

/** A running server and the way to stop it. */
export interface RunningServer {
  server: Server;
  url: string;
  config: Config;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish (bounded by SHUTDOWN_TIMEOUT_MS), closes the state store. */
  close: () => Promise<void>;
}

/** How long a slow client may take; each is in milliseconds. */
export interface ServerTimeouts {
  /** From connection (or the previous request) to the end of the request headers. */
  headersTimeout: number;
  /** From connection (or the previous request) to the end of the request body. */
  requestTimeout: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** How often Node looks for connections past the two request timeouts. */
  connectionsCheckingInterval: number;
}

/** The server's timeouts: enough for Tropo on a slow link, short enough that a slow client cannot hoard sockets. */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Starts the server with `config` and resolves once it listens; tests may shorten the timeouts. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
  timeouts: Partial<ServerTimeouts> = {},
): Promise<RunningServer> {
  const registry = loadApps(undefined, config.apps);
  const state: StateStore = createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    log: logger.child({ component: 'state' }),
  });
  let shuttingDown = false;
  const app = createApp(config, { logger, registry, state, isShuttingDown: () => shuttingDown });

  const t = { ...SERVER_TIMEOUTS, ...timeouts };
  const server = createServer(
    {
      headersTimeout: t.headersTimeout,
      requestTimeout: t.requestTimeout,
      // Node enforces the two timeouts above only when it checks, every 30 s by default: a
      // slowloris connection would live up to 40 s instead of 10.
      connectionsCheckingInterval: t.connectionsCheckingInterval,
    },
    app,
  );
  server.keepAliveTimeout = t.keepAliveTimeout;
  server.on('clientError', clientErrorHandler(logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info(
    { port, host: config.host, apps: registry.list().map((a) => a.name) },
    `listening on ${url}`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info('shutting down: no new connections, finishing requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn(
            { timeoutMs: config.shutdownTimeoutMs },
            'shutdown deadline reached: closing open connections',
          );
          server.closeAllConnections();
          resolve();
        }, config.shutdownTimeoutMs);
        timer.unref();
      });
      await Promise.race([closed, deadline]);
      await state.close();
      logger.info('shut down');
    })();
    return closing;
  };
  return { server, url, config, logger, close };
}

/** Runs the primary of several workers (WEB_CONCURRENCY > 1): signals go to every worker. */
function runPrimary(config: Config, workers: number): void {
  const logger = createLogger({ level: config.logLevel }).child({ component: 'cluster' });
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
export async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  if (cluster.isPrimary) {
    const workers = workerCount(config.webConcurrency);
    assertStateShared(workers, config);
    if (workers > 1) {
      runPrimary(config, workers);
      return;
    }
  }
  const running = await startServer(config);
  guardUnhandledRejections(running.logger);
  const stop = (signal: NodeJS.Signals | 'disconnect') => {
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
