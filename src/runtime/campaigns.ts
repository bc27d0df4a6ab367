/** Starts campaigns for this server process when REDIS_URL is set: the Session API launcher with each app's token, and this instance's dispatcher. */
import { openCampaigns, type Campaigns, type DispatchObserver } from '../campaigns';
import type { Config } from '../server/config';
import { tokenFor } from '../server/launch';
import type { AppRegistry } from '../server/registry';
import { createSessionApiClient, SessionApiInvalidRequestError } from '../session-api';
import type { Logger } from './logger';

/** Opens campaigns (and starts dispatching) with REDIS_URL; undefined without it. */
export async function startCampaigns(
  config: Config,
  logger: Logger,
  registry: AppRegistry,
  options: {
    observer?: DispatchObserver;
    /** Whether this instance can serve sessions now (its state store is up). */
    canServe?: () => boolean;
  } = {},
): Promise<Campaigns | undefined> {
  if (!config.redisUrl) return undefined;
  const log = logger.child({ component: 'campaigns' });
  // No retries inside the client: a retried request may have been heard, and an attempt is
  // launched at most once. A refused attempt becomes `failed` and earns its own next attempt.
  const client = createSessionApiClient({
    baseUrl: config.tropoApiUrl,
    retries: 0,
    log: (event) => log.debug({ sessionApi: event }, `session API ${event.event}`),
  });
  return openCampaigns({
    redisUrl: config.redisUrl,
    settings: config.campaigns,
    lookupApp: (name) => {
      const app = registry.module(name);
      return app ? { params: app.definition.params } : undefined;
    },
    launch: (app, parameters) => {
      const token = tokenFor(config, app);
      if (!token) {
        return Promise.reject(
          new SessionApiInvalidRequestError(
            `no Tropo token is configured for ${app} (TROPO_TOKEN_<APP> or TROPO_TOKEN)`,
            'createSession',
          ),
        );
      }
      return client.createSession({ token, parameters });
    },
    log,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.canServe ? { canServe: options.canServe } : {}),
  });
}
