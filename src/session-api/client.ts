/** Client for Tropo's Session API (start an outbound session) and signals API, with bounded retries and the token kept out of every error and log event. */
import { randomBytes } from 'node:crypto';
import {
  SessionApiError,
  SessionApiHttpError,
  SessionApiInvalidRequestError,
  SessionApiNetworkError,
  SessionApiNotFoundError,
  SessionApiRejectedError,
  SessionApiResponseError,
  SessionApiTimeoutError,
  type SessionApiErrorCode,
  type SessionApiOperation,
} from './errors';
import { parseSessionAnswer, parseSignalAnswer } from './parse';
import { REDACTED, redactor } from './redact';

/** Tropo's production Session API base (DESIGN §6, `TROPO_API_URL`). */
export const DEFAULT_TROPO_API_URL = 'https://api.tropo.com/1.0';

/** The part of `fetch` the client uses; Node's global `fetch` fits, and so does a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A session parameter as a caller may give it; Tropo only ever sees strings (§8.1). */
export type SessionParameterValue = string | number | boolean;

/** What the client reports while it works; hand it to any logger. Never contains the token. */
export type SessionApiEvent =
  | {
      event: 'attempt';
      operation: SessionApiOperation;
      attempt: number;
      method: string;
      url: string;
    }
  | {
      event: 'retry';
      operation: SessionApiOperation;
      attempt: number;
      code: SessionApiErrorCode;
      message: string;
      delayMs: number;
    }
  | {
      event: 'success';
      operation: SessionApiOperation;
      attempt: number;
      durationMs: number;
      sessionId: string;
    }
  | {
      event: 'failure';
      operation: SessionApiOperation;
      attempts: number;
      code: SessionApiErrorCode;
      message: string;
    }
  | {
      event: 'dry-run';
      operation: SessionApiOperation;
      would: SessionApiOperation;
      method: string;
      url: string;
      parameters: Record<string, string>;
    };

export interface SessionApiClientOptions {
  /** Base URL up to the version, e.g. `https://api.tropo.com/1.0` (the default). */
  baseUrl?: string;
  /** Injected for tests; defaults to Node's global `fetch`. */
  fetch?: FetchLike;
  /** Per attempt, covering headers and body. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after a network error or a 5xx; default 2, at most 10. */
  retries?: number;
  /** First backoff; it doubles per retry up to `maxBackoffMs`, then jitter keeps 50–100 % of it. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Source of jitter in [0, 1); injected for deterministic tests. */
  random?: () => number;
  /** How to wait between attempts; injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Log what would be sent (token redacted) and send nothing. */
  dryRun?: boolean;
  /** Use the `GET …/sessions?action=create&token=…` form, for legacy accounts only: it puts the token in a URL. */
  legacyGet?: boolean;
  /** Receives progress events; errors it throws are ignored. */
  log?: (event: SessionApiEvent) => void;
}

export interface CreateSessionRequest {
  /** The application's voice or messaging token. */
  token: string;
  /** Becomes `session.parameters` in the session Tropo starts; values are sent as strings. */
  parameters?: Readonly<Record<string, SessionParameterValue>>;
}

export interface SessionCreated {
  /** The new session's id (= `session.id` of Tropo's first POST, the id to signal). */
  id: string;
  /** True when nothing was sent and `id` is a made-up `dry-run-…` id. */
  dryRun: boolean;
}

export interface SignalSent {
  /** Tropo's status, upper-cased: `QUEUED` on success, `DRY-RUN` when nothing was sent. */
  status: string;
  dryRun: boolean;
}

export interface SessionApiClient {
  /** Starts an outbound session; resolves to its id or rejects with a `SessionApiError`. */
  createSession(request: CreateSessionRequest): Promise<SessionCreated>;
  /** Queues a signal (e.g. `exit`) for a running session; rejects with a `SessionApiError`. */
  sendSignal(sessionId: string, signal: string): Promise<SignalSent>;
}

interface Outgoing {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  statusText: string;
  body: string;
}

const EXCERPT_CHARS = 200;
const REASON_CHARS = 500;
const MAX_RETRIES = 10;

/** Thrown by the timer in `exchange`; its own class so nothing else can be mistaken for it. */
class AttemptTimedOut extends Error {}

/** Makes a Session API client; options are checked here so a misconfiguration fails at start-up. */
export function createSessionApiClient(options: SessionApiClientOptions = {}): SessionApiClient {
  const base = normaliseBaseUrl(options.baseUrl ?? DEFAULT_TROPO_API_URL);
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    throw new RangeError(`retries must be an integer from 0 to ${MAX_RETRIES}`);
  }
  const backoffMs = nonNegative('backoffMs', options.backoffMs ?? 250);
  const maxBackoffMs = nonNegative('maxBackoffMs', options.maxBackoffMs ?? 4_000);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.log;

  function emit(event: SessionApiEvent): void {
    if (!log) return;
    try {
      log(event);
    } catch {
      // A broken logger must not turn a launched session into a reported failure (or a retry).
    }
  }

  function backoff(retry: number): number {
    const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 1));
  }

  async function exchange(outgoing: Outgoing): Promise<Answer> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Racing our own timer (not only aborting) keeps the bound even if an injected fetch ignores the signal.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new AttemptTimedOut());
        controller.abort();
      }, timeoutMs);
    });
    const init: RequestInit = {
      method: outgoing.method,
      headers: outgoing.headers,
      signal: controller.signal,
      // A redirect would resend the token to wherever the Location points; treat it as an error instead.
      redirect: 'manual',
      ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
    };
    const work = (async () => {
      const response = await fetchImpl(outgoing.url, init);
      const body = await response.text();
      return { status: response.status, statusText: response.statusText, body };
    })();
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One HTTP exchange, classified: a value, or an error and whether another attempt may help. */
  async function attemptOnce<T>(
    operation: SessionApiOperation,
    outgoing: Outgoing,
    attempt: number,
    redact: (text: string) => string,
    interpret: (answer: Answer, attempt: number) => T | SessionApiError,
    interpretFailure: (answer: Answer, attempt: number) => SessionApiError | undefined,
  ): Promise<{ ok: true; value: T } | { ok: false; error: SessionApiError; retryable: boolean }> {
    let answer: Answer;
    try {
      answer = await exchange(outgoing);
    } catch (thrown) {
      if (thrown instanceof AttemptTimedOut) {
        // Tropo may have received the request and be starting the call: a retry could dial twice.
        return {
          ok: false,
          error: new SessionApiTimeoutError(timeoutMs, operation, attempt),
          retryable: false,
        };
      }
      return {
        ok: false,
        error: networkError(thrown, operation, attempt, redact),
        retryable: true,
      };
    }
    if (answer.status >= 200 && answer.status < 300) {
      const value = interpret(answer, attempt);
      return value instanceof SessionApiError
        ? { ok: false, error: value, retryable: false }
        : { ok: true, value };
    }
    const known = interpretFailure(answer, attempt);
    if (known) return { ok: false, error: known, retryable: false };
    // 5xx is Tropo having trouble; 3xx/4xx will not change on a second try.
    return {
      ok: false,
      error: httpError(operation, answer, attempt, redact),
      retryable: answer.status >= 500,
    };
  }

  async function run<T>(
    operation: SessionApiOperation,
    outgoing: Outgoing,
    redact: (text: string) => string,
    interpret: (answer: Answer, attempt: number) => T | SessionApiError,
    sessionIdOf: (value: T) => string,
    interpretFailure: (answer: Answer, attempt: number) => SessionApiError | undefined = () =>
      undefined,
  ): Promise<T> {
    const attempts = retries + 1;
    for (let attempt = 1; ; attempt += 1) {
      emit({
        event: 'attempt',
        operation,
        attempt,
        method: outgoing.method,
        url: redact(outgoing.url),
      });
      const started = Date.now();
      const outcome = await attemptOnce(
        operation,
        outgoing,
        attempt,
        redact,
        interpret,
        interpretFailure,
      );
      if (outcome.ok) {
        const durationMs = Date.now() - started;
        emit({
          event: 'success',
          operation,
          attempt,
          durationMs,
          sessionId: sessionIdOf(outcome.value),
        });
        return outcome.value;
      }
      const { error } = outcome;
      if (!outcome.retryable || attempt >= attempts) {
        emit({
          event: 'failure',
          operation,
          attempts: attempt,
          code: error.code,
          message: error.message,
        });
        throw error;
      }
      const delayMs = backoff(attempt);
      emit({
        event: 'retry',
        operation,
        attempt,
        code: error.code,
        message: error.message,
        delayMs,
      });
      await sleep(delayMs);
    }
  }

  return {
    async createSession(request: CreateSessionRequest): Promise<SessionCreated> {
      const operation = 'createSession';
      const token = (request as Partial<CreateSessionRequest> | undefined)?.token;
      if (typeof token !== 'string' || token.trim() === '') {
        throw new SessionApiInvalidRequestError('a Session API token is required', operation);
      }
      const redact = redactor(token);
      const reserved = options.legacyGet ? ['token', 'action'] : ['token'];
      const parameters = stringParameters(request.parameters, reserved, operation);
      const url = `${base}/sessions`;
      const outgoing: Outgoing = options.legacyGet
        ? {
            method: 'GET',
            url: `${url}?${new URLSearchParams({ action: 'create', token, ...parameters }).toString()}`,
            headers: { accept: 'application/json' },
          }
        : {
            method: 'POST',
            url,
            headers: { accept: 'application/json', 'content-type': 'application/json' },
            body: JSON.stringify({ token, ...parameters }),
          };
      if (options.dryRun) {
        emit({
          event: 'dry-run',
          operation,
          would: operation,
          method: outgoing.method,
          url: redact(outgoing.url),
          parameters: { token: REDACTED, ...parameters },
        });
        return { id: `dry-run-${randomBytes(8).toString('hex')}`, dryRun: true };
      }
      return run<SessionCreated>(
        operation,
        outgoing,
        redact,
        (answer, attempt) => {
          const parsed = parseSessionAnswer(answer.body);
          if (parsed.kind === 'success') return { id: parsed.id, dryRun: false };
          if (parsed.kind === 'failure') {
            const reason = parsed.reason ?? 'Tropo gave no reason';
            return new SessionApiRejectedError(
              clip(redact(reason), REASON_CHARS),
              operation,
              attempt,
            );
          }
          return badResponse(operation, answer, attempt, redact);
        },
        (created) => created.id,
      );
    },

    async sendSignal(sessionId: string, signal: string): Promise<SignalSent> {
      const operation = 'sendSignal';
      if (typeof sessionId !== 'string' || sessionId.trim() === '') {
        throw new SessionApiInvalidRequestError('a session id is required', operation);
      }
      if (typeof signal !== 'string' || signal.trim() === '') {
        throw new SessionApiInvalidRequestError('a signal name is required', operation);
      }
      const query = new URLSearchParams({ action: 'signal', value: signal }).toString();
      // The documented URL carries action and value in the query; the body repeats them as a form
      // because a POST must have a content-type and the body format is not documented (§8.3, §12).
      const outgoing: Outgoing = {
        method: 'POST',
        url: `${base}/sessions/${encodeURIComponent(sessionId)}/signals?${query}`,
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: query,
      };
      const redact = redactor(undefined);
      if (options.dryRun) {
        emit({
          event: 'dry-run',
          operation,
          would: operation,
          method: outgoing.method,
          url: outgoing.url,
          parameters: { action: 'signal', value: signal },
        });
        return { status: 'DRY-RUN', dryRun: true };
      }
      return run<SignalSent>(
        operation,
        outgoing,
        redact,
        (answer, attempt) => {
          const parsed = parseSignalAnswer(answer.body);
          if (parsed.kind === 'unrecognised')
            return badResponse(operation, answer, attempt, redact);
          if (parsed.status === 'QUEUED') return { status: parsed.status, dryRun: false };
          if (parsed.status === 'NOTFOUND') {
            return new SessionApiNotFoundError(sessionId, operation, attempt);
          }
          // The official PHP client treats every status but QUEUED as a failure (§8.3).
          return new SessionApiRejectedError(clip(parsed.status, REASON_CHARS), operation, attempt);
        },
        () => sessionId,
        // An ended session may come back as an HTTP error whose body still says NOTFOUND.
        (answer, attempt) => {
          const parsed = parseSignalAnswer(answer.body);
          return parsed.kind === 'status' && parsed.status === 'NOTFOUND'
            ? new SessionApiNotFoundError(sessionId, operation, attempt)
            : undefined;
        },
      );
    },
  };
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // The value is not echoed: a misplaced token or password could be in it.
    throw new TypeError('the Session API base URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('the Session API base URL must be http: or https:');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      'the Session API base URL must not carry credentials, a query or a fragment',
    );
  }
  return url.href.replace(/\/+$/, '');
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number`);
  }
  return value;
}

function stringParameters(
  parameters: Readonly<Record<string, SessionParameterValue>> | undefined,
  reserved: readonly string[],
  operation: SessionApiOperation,
): Record<string, string> {
  if (parameters === undefined) return {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new SessionApiInvalidRequestError(
      'parameters must be an object of name → value',
      operation,
    );
  }
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]: [string, unknown]) => {
      if (name === '') {
        throw new SessionApiInvalidRequestError('a parameter name is empty', operation);
      }
      if (reserved.includes(name)) {
        throw new SessionApiInvalidRequestError(
          `parameter "${name}" is reserved by the Session API`,
          operation,
        );
      }
      if (typeof value === 'string' || typeof value === 'boolean') return [name, String(value)];
      if (typeof value === 'number' && Number.isFinite(value)) return [name, String(value)];
      // Tropo would stringify an object to something useless; refuse rather than send "[object Object]".
      throw new SessionApiInvalidRequestError(
        `parameter "${name}" must be a string, a finite number or a boolean`,
        operation,
      );
    }),
  );
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

function httpError(
  operation: SessionApiOperation,
  answer: Answer,
  attempt: number,
  redact: (text: string) => string,
): SessionApiHttpError {
  const parsed = parseSessionAnswer(answer.body);
  const reason = parsed.kind === 'failure' ? parsed.reason : undefined;
  return new SessionApiHttpError(
    {
      status: answer.status,
      statusText: answer.statusText,
      reason: reason === undefined ? undefined : clip(redact(reason), REASON_CHARS),
      bodyExcerpt: clip(redact(answer.body), EXCERPT_CHARS),
    },
    operation,
    attempt,
  );
}

function badResponse(
  operation: SessionApiOperation,
  answer: Answer,
  attempt: number,
  redact: (text: string) => string,
): SessionApiResponseError {
  return new SessionApiResponseError(
    { status: answer.status, bodyExcerpt: clip(redact(answer.body), EXCERPT_CHARS) },
    operation,
    attempt,
  );
}

/** Wraps whatever fetch threw in a network error whose cause is a redacted copy, not the original. */
function networkError(
  thrown: unknown,
  operation: SessionApiOperation,
  attempt: number,
  redact: (text: string) => string,
): SessionApiNetworkError {
  // undici reports `TypeError: fetch failed` and keeps the useful part (ECONNREFUSED…) in `cause`.
  let root: unknown = thrown;
  for (let depth = 0; depth < 5 && isErrorLike(root) && root.cause !== undefined; depth += 1) {
    root = root.cause;
  }
  const rootError = isErrorLike(root) ? root : undefined;
  const code = typeof rootError?.code === 'string' ? rootError.code : undefined;
  const message = redact(rootError ? rootError.message : String(root));
  const cause = Object.assign(new Error(message), {
    name: typeof rootError?.name === 'string' ? rootError.name : 'Error',
    ...(code === undefined ? {} : { code }),
  });
  const detail = code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
  return new SessionApiNetworkError(detail || 'request failed', operation, attempt, cause);
}

/**
 * Duck-typed rather than `instanceof Error`: errors from Node's own fetch come from another realm
 * under test runners (and bundlers), where `instanceof` says no.
 */
function isErrorLike(
  value: unknown,
): value is { message: string; name?: unknown; code?: unknown; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
