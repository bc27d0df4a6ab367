/** Client for Tropo's Session API (start an outbound session) and signals API, with bounded retries and the token kept out of every error and log event. */
import { randomBytes } from 'node:crypto';
import { globalFetch, type FetchLike } from '../lib';
import { nonNegative, normaliseBaseUrl, positive, stringParameters } from './checks';
import {
  SessionApiInvalidRequestError,
  SessionApiNotFoundError,
  SessionApiRejectedError,
  type SessionApiOperation,
} from './errors';
import {
  attemptOnce,
  badResponse,
  clip,
  REASON_CHARS,
  type Exchange,
  type Outgoing,
} from './exchange';
import { parseSessionAnswer, parseSignalAnswer } from './parse';
import { REDACTED, redactor } from './redact';
import {
  DEFAULT_TROPO_API_URL,
  type CreateSessionRequest,
  type SessionApiClient,
  type SessionApiClientOptions,
  type SessionApiEvent,
  type SessionCreated,
  type SignalSent,
} from './types';

const MAX_RETRIES = 10;

/** Makes a Session API client; options are checked here so a misconfiguration fails at start-up. */
export function createSessionApiClient(options: SessionApiClientOptions = {}): SessionApiClient {
  const base = normaliseBaseUrl(options.baseUrl ?? DEFAULT_TROPO_API_URL);
  const fetchImpl: FetchLike = options.fetch ?? globalFetch;
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

  /** Attempts `outgoing` until it succeeds, fails for good, or the retries are spent. */
  async function run<T>(
    operation: SessionApiOperation,
    outgoing: Outgoing,
    redact: (text: string) => string,
    interpret: Exchange<T>['interpret'],
    sessionIdOf: (value: T) => string,
    interpretFailure: Exchange<T>['interpretFailure'] = () => undefined,
  ): Promise<T> {
    const how: Exchange<T> = {
      fetch: fetchImpl,
      timeoutMs,
      operation,
      redact,
      interpret,
      interpretFailure,
    };
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
      const outcome = await attemptOnce(how, outgoing, attempt);
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
