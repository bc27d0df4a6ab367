/**
 * Target "ours": the product server, createApp() with its shipped apps, built as
 * src/runtime/main.ts builds it — from the compiled build that ships (bench/build.ts), or from the
 * TypeScript sources with BENCH_OURS=sources.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { BUILD_DIR, productSource } from '../build';
import { standardScenarios } from '../scenarios';
import type { BenchTarget } from '../target';

/** The modules the target needs, typed by the sources whatever they are loaded from. */
interface Product {
  app: typeof import('../../src/runtime/app');
  config: typeof import('../../src/runtime/config');
  logger: typeof import('../../src/runtime/logger');
  registry: typeof import('../../src/server/registry');
  state: typeof import('../../src/state');
}

function load(): Product {
  const root = productSource() === 'build' ? BUILD_DIR : join(__dirname, '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports -- the build's path is known at run time only */
  return {
    app: require(join(root, 'src', 'runtime', 'app')),
    config: require(join(root, 'src', 'runtime', 'config')),
    logger: require(join(root, 'src', 'runtime', 'logger')),
    registry: require(join(root, 'src', 'server', 'registry')),
    state: require(join(root, 'src', 'state')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function build() {
  const product = load();
  const config = product.config.loadConfig({});
  const logger = product.logger.createLogger({ level: config.logLevel });
  const state = product.state.createStateStore({
    ttlSeconds: config.stateTtlSeconds,
    maxEntries: config.stateMaxEntries,
  });
  const registry = product.registry.loadApps(undefined, config.apps);
  return product.app.createApp(config, { logger, registry, state });
}

/** The full pipeline: parse, validate, app, validate the answer, serialise, one log line. */
export const target: BenchTarget = {
  name: 'ours',
  description: `createApp(config, deps) from ${productSource() === 'build' ? 'the compiled build' : 'the sources'}: the full pipeline with its request log line`,
  scenarios: standardScenarios({
    continue: '/apps/appointment-reminder/on/confirm',
    static: '/apps/quickstart.json',
  }),
  createServer: () => createServer(build()),
};
