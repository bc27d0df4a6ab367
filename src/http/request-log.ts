/** One log line per request: method, route, app, status, duration, session id and error code/id — never the URL's query. */
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/** Logs each finished request once, at info (error for 5xx, unless the route marked it expected). */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (req.route as { path?: string } | undefined)?.path;
      const locals = res.locals as {
        app?: string;
        sessionId?: string;
        code?: string;
        errorId?: string;
        /** Set by a route whose 5xx answer is expected (a readiness probe saying not ready). */
        logLevel?: 'info';
      };
      const line = {
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: res.statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
        ...(locals.app ? { app: locals.app } : {}),
        ...(locals.sessionId ? { sessionId: locals.sessionId } : {}),
        ...(locals.code ? { code: locals.code } : {}),
        // The error id ties a fallback to its error line, also when repeats log at debug.
        ...(locals.errorId ? { errorId: locals.errorId } : {}),
      };
      if (res.statusCode >= 500 && locals.logLevel !== 'info') logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
