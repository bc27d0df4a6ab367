/** Operator-facing routes: liveness, readiness and the list of registered apps. */
import { Router } from 'express';
import type { AppRegistry } from '../src/server/registry';

/** A readiness probe: ready, or not with the reasons why. */
export type Readiness = () => { ready: boolean; reasons: string[] };

function routesOf(app: ReturnType<AppRegistry['list']>[number]): string[] {
  if (app.kind === 'static') return [`GET /apps/${app.name}.json`, `POST /apps/${app.name}.json`];
  const handlers = Object.keys(app.definition.on ?? {});
  return [`POST /apps/${app.name}/start`, ...handlers.map((h) => `POST /apps/${app.name}/on/${h}`)];
}

/** `/healthz`, `/readyz` and `/apps`. */
export function infoRoutes(registry: AppRegistry, readiness: Readiness): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', (_req, res) => {
    const state = readiness();
    // Not ready is the probe doing its job, not a server error: probes repeat, so an outage would
    // otherwise log an error line per probe (the outage itself is logged once, by the state store).
    if (!state.ready) res.locals.logLevel = 'info';
    res.status(state.ready ? 200 : 503).json(state);
  });

  router.get('/apps', (_req, res) => {
    res.json({
      apps: registry.list().map((app) => ({
        name: app.name,
        description: app.description,
        kind: app.kind,
        channels: app.channels,
        routes: routesOf(app),
      })),
    });
  });

  return router;
}
