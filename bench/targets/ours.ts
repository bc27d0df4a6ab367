/** Target "ours": the product server, createApp() with its shipped apps, built as src/runtime/main.ts builds it. */
import { createServer } from 'node:http';
import { createApp } from '../../src/runtime/app';
import { loadConfig } from '../../src/runtime/config';
import { createLogger } from '../../src/runtime/logger';
import { loadApps } from '../../src/server/registry';
import { createStateStore } from '../../src/state';
import { standardScenarios } from '../scenarios';
import type { BenchTarget } from '../target';

function build() {
  const config = loadConfig({});
  const logger = createLogger({ level: config.logLevel });
  const state = createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
  });
  return createApp(config, { logger, registry: loadApps(undefined, config.apps), state });
}

/** The full pipeline: parse, validate, app, validate the answer, serialise, one log line. */
export const target: BenchTarget = {
  name: 'ours',
  description: 'createApp(config, deps): the full pipeline with its request log line',
  scenarios: standardScenarios({
    continue: '/apps/appointment-reminder/on/confirm',
    static: '/apps/quickstart.json',
  }),
  createServer: () => createServer(build()),
};
