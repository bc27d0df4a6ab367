/**
 * The campaign API, a thin adapter from HTTP to the campaign service (Bearer API_KEY, as
 * `/api/sessions`): POST/GET `/api/campaigns`, GET/DELETE `/api/campaigns/:id`, GET `…/report.csv`.
 * Without Redis every route answers 503 CAMPAIGNS_NEED_REDIS.
 */
import bodyParser from 'body-parser';
import { Router, type RequestHandler, type Response } from 'express';
import type { CampaignAnswer, CampaignApi } from '../src/server/campaign-api';
import type { Config } from '../src/server/config';
import { errorBody, errorCatalogue, type ErrorCode } from '../src/server/errors';
import { bearerMatches } from '../src/server/launch';

function sendError(res: Response, status: number, code: ErrorCode): void {
  res.locals.code = code;
  res
    .status(status)
    .setHeader('content-type', 'application/json; charset=utf-8')
    .end(errorBody(code));
}

function send(res: Response, answer: CampaignAnswer): void {
  if (answer.code) res.locals.code = answer.code;
  res
    .status(answer.status)
    .setHeader('content-type', 'application/json; charset=utf-8')
    .end(JSON.stringify(answer.body));
}

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];
const JSON_TYPES = ['application/json', 'application/*+json'];

/** The campaign routes; `campaigns` is undefined when the server runs without REDIS_URL. */
export function campaignRoutes(
  config: Pick<Config, 'apiKey' | 'campaigns'>,
  campaigns: CampaignApi | undefined,
): Router {
  const router = Router();
  // The key is checked before the body is read: nobody without it makes us read 20 MB.
  const guard: RequestHandler = (req, res, next) => {
    if (!config.apiKey) return sendError(res, 404, 'API_DISABLED');
    if (!bearerMatches(req.get('authorization'), config.apiKey)) {
      return sendError(res, 401, 'UNAUTHORIZED');
    }
    if (!campaigns) return sendError(res, 503, 'CAMPAIGNS_NEED_REDIS');
    next();
  };
  const limit = config.campaigns.maxBytes;
  const json = bodyParser.json({ limit, type: JSON_TYPES });
  const csv = bodyParser.text({ limit, type: CSV_TYPES });
  const service = () => campaigns as CampaignApi;
  const one = (value: unknown) => (typeof value === 'string' ? value : undefined);

  router.use('/api/campaigns', guard);
  router.post('/api/campaigns', json, csv, async (req, res) => {
    const matched = req.is([...CSV_TYPES, ...JSON_TYPES]);
    if (typeof matched !== 'string') {
      send(res, {
        status: 400,
        code: 'CAMPAIGN_INVALID',
        body: {
          error: {
            code: 'CAMPAIGN_INVALID',
            message: errorCatalogue.CAMPAIGN_INVALID.message,
            issues: [
              {
                row: 0,
                path: '(body)',
                message: 'must be JSON (application/json) or CSV (text/csv)',
              },
            ],
          },
        },
      });
      return;
    }
    const isCsv = CSV_TYPES.includes(matched);
    const body: unknown = req.body;
    send(
      res,
      await service().create({
        kind: isCsv ? 'csv' : 'json',
        body,
        query: { app: one(req.query.app), name: one(req.query.name) },
        idempotencyKey: req.get('idempotency-key') || undefined,
      }),
    );
  });
  router.get('/api/campaigns', async (_req, res) => send(res, await service().list()));
  router.get('/api/campaigns/:id', async (req, res) =>
    send(res, await service().show(req.params.id, one(req.query.offset), one(req.query.limit))),
  );
  router.get('/api/campaigns/:id/report.csv', async (req, res) => {
    const lines = await service().report(req.params.id);
    if (!lines) return sendError(res, 404, 'CAMPAIGN_NOT_FOUND');
    res.status(200).setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="campaign-${req.params.id}.csv"`);
    for await (const chunk of lines) {
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
    }
    res.end();
  });
  router.delete('/api/campaigns/:id', async (req, res) =>
    send(res, await service().cancel(req.params.id)),
  );
  return router;
}
