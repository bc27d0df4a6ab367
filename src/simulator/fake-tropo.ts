/**
 * A local stand-in for Tropo: answers the Session API (`GET`/`POST /1.0/sessions`, §8.1–8.2, XML,
 * JSON or form by `Accept`) and plays each session it starts against a start URL with the engine;
 * `GET /sessions/:id` returns that session's transcript, `GET /launches` every launch it accepted.
 * Signals (§8.3) reach running sessions. Outcome rules make the dialled number busy or silent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { outcomeFor, type CallOutcomeRules } from './call-outcomes';
import { startSession, type SessionHandle, type SessionLimits } from './engine';
import type { FetchLike, PostJson } from './http';
import {
  CONTENT_TYPES,
  createParameters,
  formatFor,
  notFound,
  readBody,
  send,
  sendJson,
  sessionAnswer,
  signalAnswer,
} from './fake-tropo-wire';
import { DEFAULT_SCRIPT, type CallerScript, type LegOutcome } from './script';
import { createSession } from './session-factory';
import type { Transcript } from './transcript';
import { redactSecrets } from './url';

/** How the fake Tropo behaves. */
export interface FakeTropoOptions {
  /** Where each session is played; a function when the app's address is only known later. */
  startUrl: string | (() => string);
  /** When set, only this token starts sessions; others get Tropo's refusal with a `<reason>`. */
  token?: string | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (any free port). */
  port?: number | undefined;
  /** What the callees do in every session. */
  script?: CallerScript | undefined;
  /**
   * How the call to each session's `numberToDial` parameter ends (busy, no answer, answer), by
   * number or by a stable share of numbers; others follow `script.callOutcome`.
   */
  outcomes?: CallOutcomeRules | undefined;
  /** False: accept and log launches without playing them (a benchmark of the launcher alone). */
  play?: boolean | undefined;
  timeoutMs?: number | undefined;
  limits?: Partial<SessionLimits> | undefined;
  post?: PostJson | undefined;
  fetch?: FetchLike | undefined;
  /** Transcripts kept (oldest finished ones are dropped first); default 100. */
  maxSessions?: number | undefined;
  /** Called with one short line per Session API request. */
  log?: ((line: string) => void) | undefined;
  /** Called with each transcript when its session ends. */
  onSessionEnd?: ((transcript: Transcript) => void) | undefined;
}

/** One launch fake-tropo accepted, as `GET /launches` lists it. */
export interface FakeTropoLaunch {
  sessionId: string;
  /** When it was accepted, ISO 8601 with milliseconds. */
  at: string;
  /** The launch's parameters without the token. */
  parameters: Record<string, string>;
  /** How the call to its number ends in the session played for it. */
  callOutcome: LegOutcome;
}

/** A running fake Tropo. */
export interface FakeTropo {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** `http://127.0.0.1:PORT/1.0`, the value for TROPO_API_URL. */
  apiUrl: string;
  /** The transcript of a session it started (so far, if still running). */
  transcript(id: string): Transcript | undefined;
  /** Resolves with the transcript once the session has ended. */
  finished(id: string): Promise<Transcript> | undefined;
  /** Ids of the sessions it knows, oldest first. */
  sessionIds(): string[];
  /** Every launch it accepted, in order (kept for the fake's whole life, unlike transcripts). */
  launches(): FakeTropoLaunch[];
  /** Stops listening and waits for the sessions still playing. */
  close(): Promise<void>;
}

const SESSIONS_PATH = /^\/(?:1\.0|v1)\/sessions\/?$/;
const SIGNALS_PATH = /^\/(?:1\.0|v1)\/sessions\/([^/]+)\/signals\/?$/;
const TRANSCRIPT_PATH = /^\/sessions\/([^/]+)\/?$/;

/** Starts a fake Tropo listening on loopback (or `host`). */
export async function startFakeTropo(options: FakeTropoOptions): Promise<FakeTropo> {
  const sessions = new Map<string, SessionHandle>();
  const launches: FakeTropoLaunch[] = [];
  const baseScript = options.script ?? DEFAULT_SCRIPT;
  const finished = new Set<string>();
  const maxSessions = options.maxSessions ?? 100;
  const log = options.log ?? (() => undefined);
  const sockets = new Set<Socket>();
  const startUrl = () =>
    typeof options.startUrl === 'function' ? options.startUrl() : options.startUrl;

  function remember(handle: SessionHandle): void {
    sessions.set(handle.sessionId, handle);
    for (const id of sessions.keys()) {
      if (sessions.size <= maxSessions) break;
      if (finished.has(id)) {
        sessions.delete(id);
        finished.delete(id);
      }
    }
  }

  async function create(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Timed on arrival, before the body is read: the launch log measures the sender's pacing.
    const arrived = new Date();
    const format = formatFor(req);
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (body === undefined) {
      send(res, 413, 'text/plain', 'request body too large\n');
      return;
    }
    const parameters = createParameters(url.searchParams, body, req.headers['content-type']);
    if (typeof parameters === 'string') {
      send(
        res,
        400,
        CONTENT_TYPES[format],
        sessionAnswer(format, { success: false, reason: parameters }),
      );
      return;
    }
    const token = parameters.token ?? '';
    const refuse = (reason: string) => {
      log(`refused a Session API request: ${reason}`);
      send(res, 200, CONTENT_TYPES[format], sessionAnswer(format, { success: false, reason }));
    };
    if (token.trim() === '') return refuse('MISSING TOKEN');
    if (options.token !== undefined && token !== options.token)
      return refuse('FAILED TO ROUTE TOKEN');

    const rest = { ...parameters };
    delete rest.token;
    // GET requests always carry action=create (§6.3 captures); a POST only when its sender put it there.
    const payload = createSession({
      kind: 'token',
      token,
      parameters: rest,
      includeAction: req.method === 'GET',
    });
    const chosen = outcomeFor(rest.numberToDial, options.outcomes ?? {});
    const callOutcome = chosen ?? baseScript.callOutcome;
    if (options.play === false) {
      const sessionId = payload.session.id;
      launches.push({ sessionId, at: arrived.toISOString(), parameters: rest, callOutcome });
      const answer = sessionAnswer(format, { success: true, token, id: sessionId });
      send(res, 200, CONTENT_TYPES[format], answer);
      return;
    }
    const script =
      chosen === undefined || chosen === baseScript.callOutcome
        ? options.script
        : { ...baseScript, callOutcome: chosen };
    const handle = startSession({
      startUrl: startUrl(),
      session: payload,
      script,
      timeoutMs: options.timeoutMs,
      limits: options.limits,
      post: options.post,
      fetch: options.fetch,
    });
    remember(handle);
    launches.push({
      sessionId: handle.sessionId,
      at: arrived.toISOString(),
      parameters: rest,
      callOutcome,
    });
    log(`session ${handle.sessionId} started: playing it against ${redactSecrets(startUrl())}`);
    void handle.done.then((transcript) => {
      finished.add(handle.sessionId);
      options.onSessionEnd?.(transcript);
    });
    send(
      res,
      200,
      CONTENT_TYPES[format],
      sessionAnswer(format, { success: true, token, id: handle.sessionId }),
    );
  }

  function signal(req: IncomingMessage, res: ServerResponse, url: URL, id: string): void {
    const format = formatFor(req);
    const name = url.searchParams.get('value') ?? '';
    const handle = sessions.get(id);
    const queued = name !== '' && handle !== undefined && handle.signal(name);
    log(`signal "${name}" for session ${id}: ${queued ? 'queued' : 'not found'}`);
    send(res, 200, CONTENT_TYPES[format], signalAnswer(format, queued ? 'QUEUED' : 'NOTFOUND'));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-tropo.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (SESSIONS_PATH.test(path) && (method === 'GET' || method === 'POST')) {
      await create(req, res, url);
      return;
    }
    const signals = SIGNALS_PATH.exec(path);
    if (signals && (method === 'GET' || method === 'POST')) {
      if (method === 'POST') await readBody(req);
      signal(req, res, url, decodeURIComponent(signals[1] ?? ''));
      return;
    }
    if (method !== 'GET') {
      sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${method} ${path}` } });
      return;
    }
    const transcript = TRANSCRIPT_PATH.exec(path);
    if (transcript) {
      const found = sessions.get(decodeURIComponent(transcript[1] ?? ''));
      if (!found)
        return notFound(res, 'no session of that id (finished sessions are kept for a while)');
      sendJson(res, 200, found.snapshot());
      return;
    }
    if (path === '/sessions' || path === '/sessions/') {
      sendJson(
        res,
        200,
        [...sessions.values()].map((h) => {
          const t = h.snapshot();
          return { id: t.sessionId, outcome: t.outcome, documents: t.documents };
        }),
      );
      return;
    }
    if (path === '/launches' || path === '/launches/') {
      sendJson(res, 200, launches);
      return;
    }
    if (path === '/') {
      // The start URL may carry the webhook key (`?key=`): the page shows where, never the key.
      sendJson(res, 200, {
        name: 'fake-tropo',
        startUrl: redactSecrets(startUrl()),
        sessionApi: `${origin}/1.0`,
      });
      return;
    }
    notFound(res, `nothing is served at ${path}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    origin,
    apiUrl: `${origin}/1.0`,
    transcript: (id) => sessions.get(id)?.snapshot(),
    finished: (id) => sessions.get(id)?.done,
    sessionIds: () => [...sessions.keys()],
    launches: () => launches.map((l) => ({ ...l, parameters: { ...l.parameters } })),
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        await Promise.all([...sessions.values()].map((h) => h.done));
      })();
      return closing;
    },
  };
}
