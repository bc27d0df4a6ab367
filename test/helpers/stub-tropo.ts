/** A throwaway stand-in for Tropo's REST API in tests: listens on 127.0.0.1:0, records every request and answers from a script. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the stub received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/1.0/sessions`. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the stub answers one request. */
export interface ScriptedAnswer {
  status?: number;
  /** Defaults to a content-type guessed from the body (XML, JSON or text). */
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (until the stub closes): for timeouts. */
  hang?: boolean;
  /** Cut the connection without answering: for network errors. */
  drop?: boolean;
}

export type Script = ScriptedAnswer | ((request: RecordedRequest) => ScriptedAnswer);

export interface StubTropo {
  /** `http://127.0.0.1:PORT/1.0`, to pass as the client's base URL. */
  baseUrl: string;
  origin: string;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  /** Queues answers for the next requests, in order. */
  answer: (...answers: Script[]) => void;
  close: () => Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts a stub; once its queue is empty it answers with `fallback` (default: a 500 that says so). */
export async function startStubTropo(
  options: { answers?: Script[]; fallback?: Script } = {},
): Promise<StubTropo> {
  const queue: Script[] = [...(options.answers ?? [])];
  const fallback: Script = options.fallback ?? {
    status: 500,
    body: 'stub-tropo: no answer scripted for this request',
  };
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://stub.invalid');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const script = queue.shift() ?? fallback;
      const answer = typeof script === 'function' ? script(recorded) : script;
      if (answer.hang) return;
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(res, answer);
        }, answer.delayMs);
        timers.add(timer);
      } else {
        send(res, answer);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}/1.0`,
    origin,
    requests,
    answer: (...answers) => void queue.push(...answers),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Hanging requests would keep close() waiting forever; cut them.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, answer: ScriptedAnswer): void {
  const body = answer.body ?? '';
  const trimmed = body.trimStart();
  const contentType = trimmed.startsWith('<')
    ? 'text/xml'
    : trimmed.startsWith('{')
      ? 'application/json'
      : 'text/plain';
  res.writeHead(answer.status ?? 200, { 'content-type': contentType, ...answer.headers });
  res.end(body);
}

/** A URL on 127.0.0.1 where nothing listens (a port just released), for connection-refused tests. */
export async function refusedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/1.0`;
}
