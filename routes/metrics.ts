/** `GET /metrics`: the Prometheus exposition of the server's and the process's metrics. */
import { Router } from 'express';
import type { Metrics } from '../src/server/metrics';

/** The metrics route. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await metrics.render();
    res.status(200).setHeader('content-type', metrics.contentType).end(body);
  });
  return router;
}
