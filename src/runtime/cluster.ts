/**
 * Several server processes on one machine (WEB_CONCURRENCY): the node:cluster primary that forks the
 * workers, which share its port, restarts those that crash, and stops them all on shutdown.
 * It never listens and installs no signal handler: src/runtime/main.ts decides primary or worker and wires
 * the signals to `Primary.stop`.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from './config';
import type { Logger } from './logger';

/** How many worker processes a WEB_CONCURRENCY setting means: `auto` is one per CPU. */
export function workerCount(
  setting: number | 'auto',
  cpus: number = availableParallelism(),
): number {
  return setting === 'auto' ? Math.max(1, Math.floor(cpus)) : setting;
}

/** Thrown when the server cannot run as configured; its message says why and what to set. */
export class ClusterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterConfigError';
  }
}

/** Throws a ClusterConfigError unless `workers` processes can share conversation state: more than one needs Redis. */
export function assertStateShared(
  workers: number,
  config: Pick<Config, 'webConcurrency' | 'redisUrl'>,
): void {
  if (workers <= 1 || (config.redisUrl !== undefined && config.redisUrl !== '')) return;
  const setting =
    config.webConcurrency === 'auto'
      ? `WEB_CONCURRENCY=auto (${workers} CPUs)`
      : `WEB_CONCURRENCY=${workers}`;
  throw new ClusterConfigError(
    `${setting} asks for ${workers} worker processes, but REDIS_URL is not set. ` +
      'Each worker would keep conversation state in its own memory, so a call whose next request ' +
      'reached another worker would lose its state. Set REDIS_URL to a Redis every worker shares, ' +
      'or set WEB_CONCURRENCY=1.',
  );
}

/** A sliding window of restarts: `allow` says yes at most `limit` times within any `windowMs`. */
export function restartBudget(limit: number, windowMs: number): { allow(now: number): boolean } {
  const recent: number[] = [];
  return {
    allow(now) {
      while (recent.length > 0 && (recent[0] ?? now) <= now - windowMs) recent.shift();
      if (recent.length >= limit) return false;
      recent.push(now);
      return true;
    },
  };
}

/** What the primary is started with. */
export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  /** How long workers get to shut down (their SHUTDOWN_TIMEOUT_MS) before the primary kills them. */
  shutdownTimeoutMs: number;
  /** Crashed workers replaced within `restartWindowMs` before the primary gives up. Default 5. */
  restartLimit?: number;
  /** Default 60 000 ms. */
  restartWindowMs?: number;
}

/** The running primary. */
export interface Primary {
  /** Forwards `signal` to every worker, so each shuts down gracefully; later calls do nothing. */
  stop(signal: NodeJS.Signals): void;
  /**
   * Resolves once every worker is gone, with the exit code for the primary: 0 when each one ended
   * cleanly, 1 when one had to be killed, failed its shutdown, or the primary gave up on crashes.
   */
  exited: Promise<number>;
}

/** Extra time the primary grants over the workers' own shutdown deadline before killing them. */
const KILL_MARGIN_MS = 5_000;

/**
 * Forks `workers` processes, each running this same program (which then takes the worker path of
 * src/runtime/main.ts). A worker that dies is replaced, at most `restartLimit` times per window; beyond that
 * the primary stops the rest and exits 1, so a supervisor sees the crash loop. A worker that exits
 * with code 0 by itself was stopped on purpose (a signal sent to it directly) and is not replaced.
 */
export function startPrimary(options: PrimaryOptions): Primary {
  const { logger } = options;
  const budget = restartBudget(options.restartLimit ?? 5, options.restartWindowMs ?? 60_000);
  const live = new Set<Worker>();
  let stopping: NodeJS.Signals | undefined;
  let clean = true;
  let killTimer: NodeJS.Timeout | undefined;
  let resolveExited: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });

  function finishIfEmpty(): void {
    if (live.size > 0) return;
    if (killTimer !== undefined) clearTimeout(killTimer);
    logger.info({ exitCode: clean ? 0 : 1 }, 'every worker has exited');
    resolveExited(clean ? 0 : 1);
  }

  function stop(signal: NodeJS.Signals): void {
    if (stopping !== undefined) return;
    stopping = signal;
    logger.info({ signal, workers: live.size }, 'stopping every worker');
    for (const worker of live) worker.process.kill(signal);
    killTimer = setTimeout(() => {
      logger.error(
        { workers: [...live].map((w) => w.process.pid) },
        'workers still running after the shutdown deadline: killing them',
      );
      clean = false;
      for (const worker of live) worker.process.kill('SIGKILL');
    }, options.shutdownTimeoutMs + KILL_MARGIN_MS);
    finishIfEmpty();
  }

  function onExit(worker: Worker, code: number | null, signal: string | null): void {
    live.delete(worker);
    const fields = { workerPid: worker.process.pid, code, signal };
    if (stopping !== undefined) {
      // A worker still starting has no handler yet, so the forwarded signal ends it by default.
      const ok = code === 0 || signal === stopping;
      if (!ok) clean = false;
      logger[ok ? 'info' : 'warn'](fields, 'worker exited');
      finishIfEmpty();
      return;
    }
    if (code === 0) {
      logger.info(fields, 'worker stopped on its own: not replaced');
      finishIfEmpty();
      return;
    }
    const replacing = budget.allow(Date.now());
    logger.error({ ...fields, replacing }, 'worker died');
    if (replacing) {
      fork();
      return;
    }
    logger.fatal(
      {
        restartLimit: options.restartLimit ?? 5,
        restartWindowMs: options.restartWindowMs ?? 60_000,
      },
      'workers keep dying: giving up',
    );
    clean = false;
    stop('SIGTERM');
  }

  function fork(): void {
    const worker = cluster.fork();
    live.add(worker);
    worker.once('exit', (code: number | null, signal: string | null) =>
      onExit(worker, code, signal),
    );
    worker.once('listening', (address: { port?: number }) => {
      logger.debug({ workerPid: worker.process.pid, port: address.port }, 'worker listening');
    });
  }

  logger.info({ workers: options.workers }, `starting ${options.workers} worker processes`);
  for (let i = 0; i < options.workers; i += 1) fork();
  return { stop, exited };
}
