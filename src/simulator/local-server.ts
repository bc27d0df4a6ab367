/**
 * The product server run in process for the simulator (`simulate --app`, end-to-end tests, the
 * benchmark hook): `createApp` with the environment's config, the shipped apps, a memory state
 * store and simulated campaigns (launches it signs can report `ctx.outcome`), listening on
 * 127.0.0.1 port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../runtime/app';
import { loadConfig, type Config } from '../runtime/config';
import { createLogger, type Logger } from '../runtime/logger';
import { loadApps, type AppRegistry } from '../server/registry';
import { createStateStore } from '../state';
import { simulatedCampaigns, type SimulatedLaunch } from './campaign-launch';
import type { AppLogLine } from './session/options';
export { appStartUrl } from './app-url';

/** A server listening on loopback. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  config: Config;
  registry: AppRegistry;
  /** The server's log lines at warn and above since the last call (empty unless `captureLogs`). */
  drainLogs: () => AppLogLine[];
  /** A launch reference this server verifies, like a campaign's; its outcomes are kept for it. */
  campaignLaunch: () => SimulatedLaunch;
  /** Stops listening, cuts open connections and closes the state store. */
  close: () => Promise<void>;
}

/** What the local server is built from. */
export interface LocalServerOptions {
  /** Environment the config is read from (PORT and HOST are ignored: it listens on 127.0.0.1:0). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Default: a silent logger, or with `captureLogs` one that keeps warn and above for `drainLogs`. */
  logger?: Logger | undefined;
  /** Keep the server's warn-and-above log lines so a transcript can show them. */
  captureLogs?: boolean | undefined;
  /** Default: the apps under `apps/`, restricted by APPS. */
  registry?: AppRegistry | undefined;
}

/** Starts the server; rejects with a ConfigError or AppLoadError when the environment or apps are bad. */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const env = options.env ?? {};
  const config = loadConfig(env);
  const captured: AppLogLine[] = [];
  const logger =
    options.logger ??
    (options.captureLogs
      ? createLogger({
          level: 'warn',
          destination: { write: (line) => captured.push(toLogLine(line)) },
        })
      : createLogger({ level: 'silent' }));
  const registry = options.registry ?? loadApps(undefined, config.apps, env);
  const state = createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
    maxBytes: config.stateMaxBytes,
    maxBytesPerSession: config.stateMaxBytesPerSession,
  });
  const campaigns = simulatedCampaigns();
  const server: Server = createServer(
    createApp(config, { logger, registry, state, outcomes: campaigns.reporter }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    config,
    registry,
    drainLogs: () => captured.splice(0, captured.length),
    campaignLaunch: campaigns.launch,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // A request the simulator gave up on may still be open; nothing more will be answered.
        server.closeAllConnections();
        await closed;
        await state.close();
      })();
      return closing;
    },
  };
}

/** One pino JSON line as the transcript shows it. */
function toLogLine(line: string): AppLogLine {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    // Pino writes JSON; anything else is shown as it is, as an error so it is not missed.
    return { level: 'error', msg: line.trim() };
  }
  const level = parsed.level === 'warn' || parsed.level === 'fatal' ? parsed.level : 'error';
  const err = parsed.err as { message?: unknown } | undefined;
  return {
    level,
    msg: typeof parsed.msg === 'string' ? parsed.msg : '(no message)',
    ...(typeof parsed.errorId === 'string' ? { errorId: parsed.errorId } : {}),
    ...(typeof err?.message === 'string' ? { error: err.message } : {}),
  };
}
