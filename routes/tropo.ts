/** Tropo-facing routes: thin adapters from HTTP to the pipeline (DESIGN §4). */
import type { IRouter, Request, RequestHandler, Response } from 'express';
import type { Pipeline, TropoAnswer } from '../src/server/pipeline';
import type { AppRegistry } from '../src/server/registry';

/** Content type of every answer to Tropo: without the charset Tropo decodes as Latin-1. */
export const TROPO_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The paths Tropo calls: the webhook guard (key, allowed addresses) covers exactly these. */
export const TROPO_PATHS: readonly string[] = [
  '/start',
  '/apps/:app/start',
  '/apps/:app/on/:handler',
  '/apps/:name.json',
];

/**
 * Writes a pipeline answer and notes what the request log line and the metrics need. The head is
 * written in one writeHead call with the length known: Express's status() and a setHeader per
 * header cost more than the rest of writing the answer.
 */
export function sendAnswer(res: Response, answer: TropoAnswer): void {
  const locals = res.locals;
  if (answer.status === 200) locals.document = true;
  if (answer.app) locals.app = answer.app;
  if (answer.sessionId) locals.sessionId = answer.sessionId;
  if (answer.code) locals.code = answer.code;
  const length = Buffer.byteLength(answer.body);
  if (answer.errorId) {
    locals.errorId = answer.errorId;
    res.writeHead(answer.status, {
      'content-type': TROPO_CONTENT_TYPE,
      'content-length': length,
      'x-error-id': answer.errorId,
    });
  } else {
    res.writeHead(answer.status, { 'content-type': TROPO_CONTENT_TYPE, 'content-length': length });
  }
  res.end(answer.body);
}

/**
 * Adds the routes that Tropo POSTs sessions and results to, and the static documents, straight
 * onto `router` (the app itself): a nested Router would cost every Tropo request a second dispatch.
 * `parseBody` runs only on the routes that read a body; a static document ignores what is POSTed.
 */
export function tropoRoutes(
  router: IRouter,
  pipeline: Pipeline,
  registry: AppRegistry,
  parseBody: RequestHandler,
): void {
  router.post('/apps/:app/start', parseBody, async (req: Request<{ app: string }>, res) => {
    sendAnswer(res, await pipeline.start(req.body, req.params.app));
  });

  router.post(
    '/apps/:app/on/:handler',
    parseBody,
    async (req: Request<{ app: string; handler: string }>, res) => {
      const { app, handler } = req.params;
      sendAnswer(res, await pipeline.continue(req.body, app, handler, req.query.sig));
    },
  );

  router.post('/start', parseBody, async (req, res) => {
    sendAnswer(res, await pipeline.start(req.body));
  });

  router.all('/apps/:name.json', (req: Request<{ name: string }>, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') return next();
    const app = registry.static(req.params.name);
    if (!app) return next();
    sendAnswer(res, { status: 200, body: app.body, app: app.name });
  });
}
