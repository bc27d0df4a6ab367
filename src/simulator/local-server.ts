/**
 * The product server run in process for the simulator (`simulate --app`, end-to-end tests, the
 * benchmark hook): `createApp` with the environment's config, the shipped apps, a memory state
 * store, listening on 127.0.0.1 port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../runtime/app';
import { loadConfig, type Config } from '../runtime/config';
import { createLogger, type Logger } from '../runtime/logger';
import { loadApps, type AppRegistry } from '../server/registry';
import { createStateStore } from '../state';

/** A server listening on loopback. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  config: Config;
  registry: AppRegistry;
  /** Stops listening, cuts open connections and closes the state store. */
  close: () => Promise<void>;
}

/** What the local server is built from. */
export interface LocalServerOptions {
  /** Environment the config is read from (PORT and HOST are ignored: it listens on 127.0.0.1:0). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Default: a silent logger. */
  logger?: Logger | undefined;
  /** Default: the apps under `apps/`, restricted by APPS. */
  registry?: AppRegistry | undefined;
}

/** Starts the server; rejects with a ConfigError or AppLoadError when the environment or apps are bad. */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const env = options.env ?? {};
  const config = loadConfig(env);
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const registry = options.registry ?? loadApps(undefined, config.apps, env);
  const state = createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
    maxBytes: config.stateMaxBytes,
    maxBytesPerSession: config.stateMaxBytesPerSession,
  });
  const server: Server = createServer(createApp(config, { logger, registry, state }));
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

/** The start URL of a registered app on a server: its own start route, or a static document. */
export function appStartUrl(
  origin: string,
  registry: AppRegistry,
  name: string,
): string | undefined {
  const app = registry.get(name);
  if (!app) return undefined;
  const encoded = encodeURIComponent(app.name);
  return app.kind === 'static'
    ? `${origin}/apps/${encoded}.json`
    : `${origin}/apps/${encoded}/start`;
}
