/**
 * The browser phone's routes: the page and its two files, and the API the page drives (launch
 * form, a session as a stream of Server-Sent Events, replies, hang-up). Mounted only with PHONE_UI.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { errorBody, errorCatalogue } from '../src/server/errors';
import { bearerMatches } from '../src/server/launch';
import {
  PAGE_DIR,
  type Phone,
  type PhoneRefusal,
  isLoopbackHostHeader,
  isRefusal,
} from '../src/phone';

/** The page's files: name → content type. Read once: they are small and never change while running. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'phone.js': 'text/javascript; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8',
};

/** Nothing but our own files: no inline script, no other origin (the page needs no CDN). */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Seconds between keep-alive comments on an event stream, so idle proxies keep it open. */
const HEARTBEAT_MS = 15_000;

function sendRefusal(res: Response, refused: PhoneRefusal): void {
  res.locals.code = refused.code;
  res
    .status(errorCatalogue[refused.code].status)
    .setHeader('content-type', 'application/json; charset=utf-8')
    .end(errorBody(refused.code, refused.issues));
}

/** The origin the engine POSTs to: this server, at the address the request itself reached. */
function ownOrigin(req: Request): string {
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort ?? 80}`;
}

/** The phone's routes; `apiKey` (API_KEY) guards its API when set. */
export function phoneRoutes(
  phone: Phone,
  options: { apiKey: string | undefined },
  parseBody: RequestHandler,
): Router {
  const router = Router();
  const files = new Map(
    Object.entries(FILES).map(([name, type]) => [
      name,
      { type, body: fs.readFileSync(path.join(PAGE_DIR, name)) },
    ]),
  );
  const serve = (name: string): RequestHandler => {
    const file = files.get(name);
    if (!file) throw new Error(`the phone page has no file ${name}`);
    return (_req, res) => {
      res
        .status(200)
        .setHeader('content-type', file.type)
        .setHeader('cache-control', 'no-store')
        .setHeader('content-security-policy', CSP)
        .setHeader('x-content-type-options', 'nosniff')
        .end(file.body);
    };
  };
  router.get('/phone', serve('index.html'));
  router.get('/phone/phone.js', serve('phone.js'));
  router.get('/phone/phone.css', serve('phone.css'));

  const key = options.apiKey;
  const guard = (req: Request, res: Response, next: NextFunction): void => {
    if (key === undefined) {
      // Without a key, loopback is the only guard; a page on another site whose name was
      // re-pointed at 127.0.0.1 (DNS rebinding) still sends its own name in Host: refused.
      if (isLoopbackHostHeader(req.get('host'))) next();
      else sendRefusal(res, { code: 'PHONE_NOT_LOOPBACK', issues: [] });
      return;
    }
    if (bearerMatches(req.get('authorization'), key)) {
      next();
      return;
    }
    sendRefusal(res, { code: 'UNAUTHORIZED', issues: [] });
  };
  router.use('/phone/api', guard);

  router.get('/phone/api/check', (_req, res) => {
    res.status(200).json({ ok: true, keyRequired: key !== undefined });
  });

  router.get('/phone/api/apps/:app/params', (req: Request<{ app: string }>, res) => {
    const schema = phone.paramsSchema(req.params.app);
    if (schema === undefined) {
      sendRefusal(res, { code: 'UNKNOWN_APP', issues: [] });
      return;
    }
    res.status(200).json({ app: req.params.app, schema });
  });

  router.post('/phone/api/sessions', parseBody, (req, res) => {
    let open = true;
    const heartbeat = setInterval(() => {
      if (open) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const write = (event: string, data: unknown): void => {
      if (open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const started = phone.start(req.body, ownOrigin(req), (event) => {
      if (event.type === 'started') {
        res.locals.app = event.app;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        });
      }
      write(event.type, event);
      if (event.type === 'ended' && open) {
        open = false;
        clearInterval(heartbeat);
        res.end();
      }
    });
    if (isRefusal(started)) {
      open = false;
      clearInterval(heartbeat);
      sendRefusal(res, started);
      return;
    }
    // The page went away (tab closed, reload, network): nobody is on the line any more.
    res.on('close', () => {
      clearInterval(heartbeat);
      if (!open) return;
      open = false;
      started.hangup();
    });
  });

  router.post('/phone/api/sessions/:id/reply', parseBody, (req: Request<{ id: string }>, res) => {
    const refused = phone.reply(req.params.id, req.body);
    if (refused) sendRefusal(res, refused);
    else res.status(204).end();
  });

  router.post('/phone/api/sessions/:id/hangup', (req: Request<{ id: string }>, res) => {
    const refused = phone.hangup(req.params.id);
    if (refused) sendRefusal(res, refused);
    else res.status(204).end();
  });

  return router;
}
