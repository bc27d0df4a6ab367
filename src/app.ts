/** createApp: builds the Express app from config and dependencies; it never listens (src/main.ts does). */
import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config';
import { errorBody } from './errors';
import { errorHandler, jsonBody } from './http/body';
import { requestLog } from './http/request-log';
import type { Logger } from './logger';
import { createPipeline } from './pipeline';
import type { AppRegistry } from './registry';
import { createSessionApiClient, type SessionApiClient } from './session-api';
import type { StateStore } from './state';
import { sessionState } from './state';
import { apiRoutes } from '../routes/api';
import { infoRoutes } from '../routes/info';
import { tropoRoutes } from '../routes/tropo';

/** What the app is built from; main.ts makes the real ones, tests their own. */
export interface AppDeps {
  logger: Logger;
  registry: AppRegistry;
  state: StateStore;
  /** The Session API client behind `POST /api/sessions`; built from config when not given. */
  sessionApi?: SessionApiClient;
  /** True once shutdown has begun: readiness turns false. */
  isShuttingDown?: () => boolean;
}

/** The continuation URL of an app's handler: root-relative (works behind any tunnel) unless PUBLIC_URL is set. */
export function continuationUrl(config: Config, app: string, handler: string): string {
  return `${config.publicUrl ?? ''}/apps/${encodeURIComponent(app)}/on/${encodeURIComponent(handler)}`;
}

/** Builds the Express app serving Tropo, the apps list and the health checks. */
export function createApp(config: Config, deps: AppDeps): Express {
  const { logger, registry, state } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);

  const pipeline = createPipeline({
    config,
    registry,
    logger,
    stateFor: (sessionId) => sessionState(state, sessionId),
    nextUrl: (name, handler) => continuationUrl(config, name, handler),
  });

  const readiness = () => {
    const reasons: string[] = [];
    if (deps.isShuttingDown?.()) reasons.push('shutting down');
    const health = state.health();
    if (!health.ready) reasons.push(health.reason ?? 'state store unavailable');
    return { ready: reasons.length === 0, reasons };
  };

  const notFound: RequestHandler = (_req, res) => {
    res.locals.code = 'ROUTE_NOT_FOUND';
    res
      .status(404)
      .setHeader('content-type', 'application/json; charset=utf-8')
      .end(errorBody('ROUTE_NOT_FOUND'));
  };

  app.use(requestLog(logger));
  // Express answers OPTIONS itself with a text/plain list of methods; nothing here is for browsers,
  // so OPTIONS gets the same JSON 404 as any other method a path does not serve.
  app.options('/{*any}', notFound);
  app.use(infoRoutes(registry, readiness));
  app.post('/{*any}', jsonBody(config.bodyLimitBytes));
  app.use(tropoRoutes(pipeline, registry));
  const client =
    deps.sessionApi ??
    createSessionApiClient({
      baseUrl: config.tropoApiUrl,
      log: (event) => logger.debug({ sessionApi: event }, `session API ${event.event}`),
    });
  app.use(apiRoutes({ config, registry, client, logger }));
  app.use(notFound);
  app.use(
    errorHandler((err) => {
      logger.error({ err }, 'unexpected error while serving a request');
    }),
  );
  return app;
}
