/** JSON body parsing for Tropo routes: any content type, a size limit, and parse and path errors mapped to the catalogue. */
import bodyParser from 'body-parser';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { jsonTextLimitProblem } from '../../tropo/limits';
import { errorBody, errorCatalogue, type ErrorCode } from '../errors';

/** A body error shaped as body-parser's are (`status`, `type`), so one error handler serves both. */
class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * The refusal of a body whose JSON text breaks the payload shape limits: found by counting before
 * JSON.parse, since parsing 100 KB of deep nesting or tiny items is what costs (see limits.ts).
 */
function shapeError(text: string): BodyError | undefined {
  const problem = jsonTextLimitProblem(text);
  return problem === undefined ? undefined : new BodyError(problem, 400, 'entity.too.complex');
}

/** Decodes a body as body-parser will, for the shape check; undefined for a charset it cannot. */
function decoded(buffer: Buffer, charset: string): string | undefined {
  try {
    return new TextDecoder(charset).decode(buffer);
  } catch {
    // A charset TextDecoder lacks (utf-32): the limits still apply after parsing, in the readers.
    return undefined;
  }
}

/** A `charset` parameter in a content type, if any (lower case). */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * True for the request Tropo sends: a Content-Length within the limit, no Content-Encoding (or
 * identity), UTF-8 or no charset, body not yet read. Anything else goes to body-parser.
 */
function plainBody(req: Request, limitBytes: number): boolean {
  const { headers } = req;
  const length = headers['content-length'];
  if (length === undefined || headers['transfer-encoding'] !== undefined) return false;
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes > limitBytes) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = headers['content-type'];
  if (type !== undefined) {
    const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return req.readable && !req.readableDidRead;
}

/**
 * Parses every POST body as JSON whatever its content type: Tropo's is `application/json`, but
 * old captures and hand-made test calls vary. Non-object JSON is left to the session/result parsers.
 *
 * The plain case (length given and within the limit, no compression, UTF-8) is read here: it is
 * every body Tropo sends, and body-parser's general path (content negotiation, iconv decoders,
 * stream bookkeeping) cost more than the rest of the Tropo route. It answers as body-parser does:
 * `{}` for an empty body, a leading BOM ignored, `entity.parse.failed` for bad JSON. Every other
 * body (chunked, compressed, another charset, over the limit) goes to body-parser itself.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const general = bodyParser.json({
    limit: limitBytes,
    type: () => true,
    strict: false,
    // Runs on the decompressed bytes, before JSON.parse: the same shape check as the plain path.
    verify: (_req, _res, buffer, charset) => {
      const text = decoded(buffer, charset || 'utf-8');
      const error = text === undefined ? undefined : shapeError(text);
      if (error) throw error;
    },
  });
  return (req, res, next) => {
    if (!plainBody(req, limitBytes)) return general(req, res, next);
    const reading = req as Reading;
    reading[READ] = { chunks: [], next };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onError);
    req.on('close', onAborted);
  };
}

/** A plain read under way: the chunks so far and where to go once the body is read. */
interface PlainRead {
  chunks: Buffer[];
  next: (err?: Error) => void;
}

/** Where a request keeps its plain read, so that the listeners below are made once, not per request. */
const READ = Symbol('plain body read');
type Reading = Request & { [READ]?: PlainRead | undefined };

// The listeners get the request as `this` (an EventEmitter calls them so): one set for every request.
function onData(this: Reading, chunk: Buffer): void {
  this[READ]?.chunks.push(chunk);
}

function onAborted(this: Reading): void {
  finishRead(this, new BodyError('request aborted', 400, 'request.aborted'));
}

function onError(this: Reading, err: Error): void {
  finishRead(this, new BodyError(err.message, 400, 'request.aborted'));
}

function onEnd(this: Reading): void {
  const chunks = this[READ]?.chunks;
  if (chunks === undefined) return;
  const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  let text = buffer === undefined ? '' : buffer.toString('utf8');
  // body-parser's UTF-8 decoder drops a byte order mark; JSON.parse would choke on it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const tooComplex = shapeError(text);
  if (tooComplex) {
    finishRead(this, tooComplex);
    return;
  }
  try {
    (this as { body?: unknown }).body = text.length === 0 ? {} : JSON.parse(text);
  } catch (err) {
    finishRead(
      this,
      new BodyError(
        err instanceof Error ? err.message : 'invalid JSON',
        400,
        'entity.parse.failed',
      ),
    );
    return;
  }
  finishRead(this);
}

/** Ends a plain read once: its listeners off, then on to the route (or to the error handler). */
function finishRead(req: Reading, err?: Error): void {
  const read = req[READ];
  if (read === undefined) return;
  req[READ] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('aborted', onAborted);
  req.off('error', onError);
  req.off('close', onAborted);
  read.next(err);
}

function codeFor(err: { type?: unknown; status?: unknown; name?: unknown }): ErrorCode {
  // Express decodes route parameters with decodeURIComponent: `%E0%A4%A` throws a URIError (400).
  if (err.name === 'URIError' && err.status === 400) return 'PATH_INVALID';
  switch (err.type) {
    case 'entity.parse.failed':
      return 'BODY_NOT_JSON';
    case 'entity.too.large':
      return 'BODY_TOO_LARGE';
    case 'entity.too.complex':
      return 'BODY_TOO_COMPLEX';
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
