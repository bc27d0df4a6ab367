/** JSON body parsing for Tropo routes: any content type, a size limit, and parse and path errors mapped to the catalogue. */
import bodyParser from 'body-parser';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody, errorCatalogue, type ErrorCode } from '../errors';

/**
 * Parses every POST body as JSON whatever its content type: Tropo's is `application/json`, but
 * old captures and hand-made test calls vary. Non-object JSON is left to the session/result parsers.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  return bodyParser.json({ limit: limitBytes, type: () => true, strict: false });
}

function codeFor(err: { type?: unknown; status?: unknown; name?: unknown }): ErrorCode {
  // Express decodes route parameters with decodeURIComponent: `%E0%A4%A` throws a URIError (400).
  if (err.name === 'URIError' && err.status === 400) return 'PATH_INVALID';
  switch (err.type) {
    case 'entity.parse.failed':
      return 'BODY_NOT_JSON';
    case 'entity.too.large':
      return 'BODY_TOO_LARGE';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'BODY_UNSUPPORTED_ENCODING';
    default:
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500
        ? 'BODY_UNREADABLE'
        : 'INTERNAL';
  }
}

/** The last error middleware: known body errors become catalogue answers; anything else a bare 500. */
export function errorHandler(onUnexpected: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const e = (typeof err === 'object' && err !== null ? err : {}) as {
      type?: unknown;
      status?: unknown;
      name?: unknown;
    };
    const code = codeFor(e);
    if (code === 'INTERNAL') onUnexpected(err);
    res.locals.code = code;
    res
      .status(errorCatalogue[code].status)
      .setHeader('content-type', 'application/json; charset=utf-8')
      .end(errorBody(code));
  };
}
