/** Starts the real server (createApp, the shipped apps, memory state) on 127.0.0.1 port 0 for end-to-end tests, with env overrides and a captured log stream. */
import { createLogger } from '../../src/runtime/logger';
import type { AppRegistry } from '../../src/server/registry';
import { startLocalServer } from '../../src/simulator';
import { plantedEnv } from './secret-scan';
import { logCapture } from './test-app';

/** A server listening on loopback, and what it logged. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  /** Every log line written so far, parsed. */
  logs: () => Record<string, unknown>[];
  /** The raw log text, for scanning for secrets. */
  rawLogs: () => string;
  close: () => Promise<void>;
}

const everything: string[][] = [];

/** The raw log text of every server this helper started in the current test file. */
export function allServerLogs(): string {
  return everything.map((lines) => lines.join('')).join('');
}

/**
 * Starts the app as `npm start` builds it, configured by `env` (LOG_LEVEL defaults to debug so
 * that every line can be checked, and API_KEY and the Tropo tokens to the planted secrets that
 * test/setup/no-planted-secrets.ts scans for); `registry` replaces the shipped apps.
 */
export async function startRunningServer(
  env: Record<string, string> = {},
  options: { registry?: AppRegistry } = {},
): Promise<RunningServer> {
  const capture = logCapture();
  everything.push(capture.lines);
  // Planted secrets by default, so the setup hook's scan of these logs means something; the
  // webhook secret is left out until the simulator sends `?key=` (the server would refuse it then).
  const merged = { LOG_LEVEL: 'debug', ...plantedEnv({}, { webhookSecret: false }), ...env };
  const logger = createLogger({ level: merged.LOG_LEVEL, destination: capture });
  const server = await startLocalServer({ env: merged, logger, registry: options.registry });
  return {
    url: server.origin,
    logs: () => capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    rawLogs: () => capture.lines.join(''),
    close: server.close,
  };
}
