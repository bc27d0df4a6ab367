/** Campaigns for tests: a real Redis database of their own, BullMQ itself, the shipped app registry, a launcher the test gives. */
import { Redis } from 'ioredis';
import {
  openCampaigns,
  DEFAULT_CAMPAIGN_SETTINGS,
  type Campaigns,
  type CampaignSettings,
  type Launcher,
  type DispatchObserver,
} from '../../src/campaigns';
import { createLogger } from '../../src/runtime/logger';
import { loadApps, type AppRegistry } from '../../src/server/registry';
import { logCapture } from './test-app';

/** `url` with database `db` selected (test files sharing REDIS_TEST_URL keep apart). */
export function redisDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Empties the database `url` names (it belongs to the test file). */
export async function flushDb(url: string): Promise<void> {
  const redis = new Redis(url);
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** Opens campaigns over `url` with `settings` on top of the defaults; logs are captured. */
export async function openTestCampaigns(options: {
  url: string;
  settings?: Partial<CampaignSettings>;
  launch?: Launcher;
  registry?: AppRegistry;
  dispatch?: boolean;
  now?: () => number;
  launchMarginMs?: number;
  observer?: DispatchObserver;
  canServe?: () => boolean;
}): Promise<{
  campaigns: Campaigns;
  settings: CampaignSettings;
  logs: () => Record<string, unknown>[];
}> {
  const capture = logCapture();
  const log = createLogger({ level: 'debug', destination: capture });
  const registry = options.registry ?? loadApps();
  const settings = { ...DEFAULT_CAMPAIGN_SETTINGS, ...options.settings };
  const campaigns = await openCampaigns({
    redisUrl: options.url,
    settings,
    lookupApp: (name) => {
      const app = registry.module(name);
      return app ? { params: app.definition.params } : undefined;
    },
    launch: options.launch ?? (() => Promise.reject(new Error('this test launches nothing'))),
    log,
    dispatch: options.dispatch ?? false,
    ...(options.now ? { now: options.now } : {}),
    ...(options.launchMarginMs === undefined ? {} : { launchMarginMs: options.launchMarginMs }),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.canServe ? { canServe: options.canServe } : {}),
  });
  return {
    campaigns,
    settings,
    logs: () => capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
