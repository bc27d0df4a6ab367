/** Builds the real Express app for supertest, with a captured log stream and an in-memory state store (Redis with REDIS_URL). */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/runtime/app';
import { loadConfig, type Config } from '../../src/runtime/config';
import { createLogger } from '../../src/runtime/logger';
import { loadApps, type AppRegistry } from '../../src/server/registry';
import type { Campaigns } from '../../src/campaigns';
import { configuredSecrets } from '../../src/server/secrets';
import type { SessionApiClient } from '../../src/session-api';
import { recordForSecretScan } from './secret-scan';
import { createStateStore, type StateStore } from '../../src/state';

export interface TestApp {
  app: Express;
  config: Config;
  state: StateStore;
  /** Every log line written so far, parsed. */
  logs: () => Record<string, unknown>[];
  /** The raw log text, for scanning for secrets. */
  rawLogs: () => string;
  close: () => Promise<void>;
}

/** A memory destination for pino; what it captures is scanned for planted secrets after each test file. */
export function logCapture(): { write: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  recordForSecretScan('log', () => lines.join(''));
  return { write: (line: string) => void lines.push(line), lines };
}

/** The app as `npm start` would build it, configured by `env`; `registry` replaces the shipped apps. */
export function buildTestApp(
  env: Record<string, string> = {},
  options: {
    registry?: AppRegistry;
    state?: StateStore;
    sessionApi?: SessionApiClient;
    campaigns?: Campaigns;
  } = {},
): TestApp {
  const config = loadConfig(env);
  const capture = logCapture();
  // The secrets as main.ts hands them to the logger, so tests see the lines as served.
  const logger = createLogger({
    level: 'debug',
    destination: capture,
    secrets: configuredSecrets(config),
  });
  // REDIS_URL in `env` gives the real Redis store, as `npm start` would; its events go to the log.
  const state =
    options.state ??
    createStateStore({
      ttlSeconds: config.stateTtlSeconds,
      maxEntries: 1000,
      maxBytesPerSession: config.stateMaxBytesPerSession,
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      log: logger.child({ component: 'state' }),
    });
  const registry = options.registry ?? loadApps(undefined, config.apps, env);
  const app = createApp(config, {
    logger,
    registry,
    state,
    ...(options.sessionApi ? { sessionApi: options.sessionApi } : {}),
    ...(options.campaigns ? { campaigns: options.campaigns } : {}),
  });
  return {
    app,
    config,
    state,
    logs: () => capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    rawLogs: () => capture.lines.join(''),
    close: () => state.close(),
  };
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** A JSON fixture from test/fixtures, parsed. */
export function fixture<T extends object = Record<string, unknown>>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, relative), 'utf8')) as T;
}

/** A JSON fixture as text (to POST byte-exact bodies). */
export function fixtureText(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}
