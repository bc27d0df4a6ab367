/** Baseline "raw-http": bare `node:http` reading and parsing the same bodies and answering the same documents, the physical limit of this machine. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { BenchTarget } from '../target';
import { DEFAULT_PATHS, standardScenarios } from '../scenarios';
import {
  BadBody,
  continuationDocument,
  errorBody,
  JSON_TYPE,
  reminderDocument,
  STATIC_DOCUMENT,
} from './baseline-documents';

/** Bounded like express.json()'s default limit, so the two baselines accept the same bodies. */
const BODY_LIMIT = 100 * 1024;
const STATIC_BYTES = Buffer.from(JSON.stringify(STATIC_DOCUMENT));

function send(res: ServerResponse, status: number, payload: string | Buffer): void {
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function readBody(req: IncomingMessage, done: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  });
  req.on('end', () =>
    done(size <= BODY_LIMIT ? Buffer.concat(chunks).toString('utf8') : undefined),
  );
}

function answerJson(
  res: ServerResponse,
  text: string | undefined,
  build: (body: unknown) => object,
) {
  if (text === undefined) {
    send(res, 413, JSON.stringify(errorBody('BODY_TOO_LARGE', 'body exceeds 100 kB')));
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    send(res, 400, JSON.stringify(errorBody('INVALID_JSON', 'body is not valid JSON')));
    return;
  }
  try {
    send(res, 200, JSON.stringify(build(body)));
  } catch (err) {
    if (!(err instanceof BadBody)) throw err;
    send(res, 400, JSON.stringify(errorBody(err.code, err.message)));
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method === 'POST' && path === DEFAULT_PATHS.start) {
    readBody(req, (text) => answerJson(res, text, reminderDocument));
  } else if (req.method === 'POST' && path === DEFAULT_PATHS.continue) {
    readBody(req, (text) => answerJson(res, text, continuationDocument));
  } else if ((req.method === 'POST' || req.method === 'GET') && path === DEFAULT_PATHS.static) {
    // A static app ignores the session Tropo posts, but the body must still be drained.
    req.resume();
    req.on('end', () => send(res, 200, STATIC_BYTES));
  } else {
    req.resume();
    send(res, 404, JSON.stringify(errorBody('NOT_FOUND', 'no such route')));
  }
}

/** The raw `node:http` baseline. */
export const target: BenchTarget = {
  name: 'raw-http',
  description: 'node:http, JSON.parse, hand-built document: the physical limit',
  scenarios: standardScenarios(),
  createServer: () => createServer(handle),
};
