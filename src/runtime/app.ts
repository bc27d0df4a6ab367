/**
 * createApp: assembles the Express app from the route adapters and the request path in src/server;
 * it never listens (src/runtime/main.ts does). It sits in runtime, above routes/, so that no import
 * runs back up from src/server to routes/.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Config } from '../server/config';
import { errorBody } from '../server/errors';
import { errorHandler, jsonBody } from '../server/http/body';
import { requestLog } from '../server/http/request-log';
import { webhookGuard } from '../server/http/webhook-guard';
import type { Logger } from 'pino';
import { createMetrics, type Metrics } from '../server/metrics';
import { createPipeline } from '../server/pipeline';
import type { OutcomeReporter } from '../server/outcomes';
import type { AppRegistry } from '../server/registry';
import { createSessionApiClient, type SessionApiClient } from '../session-api';
import type { StateStore } from '../state';
import { sessionState } from '../state';
import { sessionKeys } from '../server/session-keys';
import { continuationSigner, type ContinuationSigner } from '../server/webhook-auth';
import { apiRoutes } from '../../routes/api';
import { campaignRoutes } from '../../routes/campaigns';
import type { Campaigns } from '../campaigns';
import { infoRoutes } from '../../routes/info';
import { metricsRoutes } from '../../routes/metrics';
import { TROPO_PATHS, tropoRoutes } from '../../routes/tropo';

/** What the app is built from; main.ts makes the real ones, tests their own. */
export interface AppDeps {
  logger: Logger;
  registry: AppRegistry;
  state: StateStore;
  /** The Session API client behind `POST /api/sessions`; built from config when not given. */
  sessionApi?: SessionApiClient;
  /** True once shutdown has begun: readiness turns false. */
  isShuttingDown?: () => boolean;
  /** The metrics behind `GET /metrics`; made for this app's registry when not given. */
  metrics?: Metrics;
  /** Scheduled reminders (only with REDIS_URL); without them the campaign routes answer 503. */
  campaigns?: Campaigns;
  /** Without campaigns: who verifies launch references and records `ctx.outcome` (the simulator's). */
  outcomes?: OutcomeReporter;
}

/**
 * Builds continuation URLs: root-relative (works behind any tunnel) unless PUBLIC_URL is set; with
 * WEBHOOK_SECRET they carry `?key=` and a `sig` binding them to their app, handler, session and the
 * session's key (made at its start, kept with its state, never sent).
 */
export function continuationUrls(
  config: Pick<Config, 'publicUrl' | 'webhookSecret'>,
  signer: ContinuationSigner | undefined = config.webhookSecret === undefined
    ? undefined
    : continuationSigner(config.webhookSecret),
): (app: string, handler: string, sessionId: string, sessionKey?: string) => string {
  const base = config.publicUrl ?? '';
  const path = (app: string, handler: string) =>
    `${base}/apps/${encodeURIComponent(app)}/on/${encodeURIComponent(handler)}`;
  const secret = config.webhookSecret;
  if (secret === undefined || signer === undefined) return path;
  const key = encodeURIComponent(secret);
  return (app, handler, sessionId, sessionKey = '') =>
    `${path(app, handler)}?key=${key}&sig=${signer.sign(app, handler, sessionId, sessionKey)}`;
}

/** Builds the Express app serving Tropo, the apps list and the health checks. */
export function createApp(config: Config, deps: AppDeps): Express {
  const { logger, registry, state } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);

  const metrics = deps.metrics ?? createMetrics({ appNames: registry.list().map((a) => a.name) });
  const signer = config.webhookSecret ? continuationSigner(config.webhookSecret) : undefined;
  // Sessions are claimed (first start wins) and keyed only with WEBHOOK_SECRET: without it the
  // webhooks are open, anyone may post any result to any session, and a claim would cost every
  // start a store round trip while protecting nothing.
  const keyed = signer !== undefined;
  const outcomes = deps.campaigns ?? deps.outcomes;
  const pipeline = createPipeline({
    config,
    registry,
    logger,
    stateFor: (sessionId) => sessionState(state, sessionId, keyed ? { keyed } : {}),
    nextUrl: continuationUrls(config, signer),
    ...(signer ? { continuations: { keys: sessionKeys(state), verify: signer.verify } } : {}),
    observer: metrics.pipeline,
    ...(outcomes ? { outcomes } : {}),
  });

  const readiness = () => {
    const reasons: string[] = [];
    if (deps.isShuttingDown?.()) reasons.push('shutting down');
    const health = state.health();
    if (!health.ready) reasons.push(health.reason ?? 'state store unavailable');
    const campaigns = deps.campaigns?.health();
    if (campaigns && !campaigns.ready) reasons.push(campaigns.reason);
    return { ready: reasons.length === 0, reasons };
  };

  const notFound: RequestHandler = (_req, res) => {
    res.locals.code = 'ROUTE_NOT_FOUND';
    res
      .status(404)
      .setHeader('content-type', 'application/json; charset=utf-8')
      .end(errorBody('ROUTE_NOT_FOUND'));
  };

  app.use(requestLog(logger, metrics.requests));
  // Express answers OPTIONS itself with a text/plain list of methods; nothing here is for browsers,
  // so OPTIONS gets the same JSON 404 as any other method a path does not serve.
  app.options('/{*any}', notFound);
  const guard = webhookGuard(config);
  // One route per path (not an array) so a refused request still logs its own route pattern;
  // before the body parser, so a refused caller's body is never read.
  if (guard) for (const path of TROPO_PATHS) app.all(path, guard);
  // Tropo's routes first, on the app itself, each parsing its own body: what Tropo calls the most
  // crosses the fewest layers, and no other request has its body read.
  const parseBody = jsonBody(config.bodyLimitBytes);
  tropoRoutes(app, pipeline, registry, parseBody);
  app.use(infoRoutes(registry, readiness));
  app.use(metricsRoutes(metrics));
  const client =
    deps.sessionApi ??
    createSessionApiClient({
      baseUrl: config.tropoApiUrl,
      log: (event) => logger.debug({ sessionApi: event }, `session API ${event.event}`),
    });
  app.use(apiRoutes({ config, registry, client, logger }, parseBody));
  app.use(campaignRoutes(config, deps.campaigns?.service));
  // PHONE_UI: off, /phone is the JSON 404 of any unknown path.
  if (config.phoneUi) {
    // Loaded only when on: the phone brings in the simulator's engine (a few hundred modules),
    // which a server without it never runs, and every start would pay for it.
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose, see above */
    const { createPhone } = require('../phone') as typeof import('../phone');
    const { phoneRoutes } = require('../../routes/phone') as typeof import('../../routes/phone');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const phone = createPhone({ config, registry, isShuttingDown: deps.isShuttingDown });
    app.use(phoneRoutes(phone, { apiKey: config.apiKey }, parseBody));
  }
  app.use(notFound);
  app.use(
    errorHandler((err) => {
      logger.error({ err }, 'unexpected error while serving a request');
    }),
  );
  return app;
}
