/** `POST /api/sessions`: a thin adapter from HTTP to the session launcher. */
import { Router, type RequestHandler } from 'express';
import { launchSession } from '../src/server/launch';

type LaunchDeps = Parameters<typeof launchSession>[0];

/** The launch API route; `parseBody` reads its JSON body. */
export function apiRoutes(deps: LaunchDeps, parseBody: RequestHandler): Router {
  const router = Router();
  router.post('/api/sessions', parseBody, async (req, res) => {
    const answer = await launchSession(deps, req.get('authorization'), req.body);
    if (answer.app) res.locals.app = answer.app;
    if (answer.sessionId) res.locals.sessionId = answer.sessionId;
    if (answer.code) res.locals.code = answer.code;
    res
      .status(answer.status)
      .setHeader('content-type', 'application/json; charset=utf-8')
      .end(answer.body);
  });
  return router;
}
