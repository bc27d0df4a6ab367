/** One HTTP exchange with Tropo, classified: a value, or a `SessionApiError` and whether another attempt may help. */
import { describeNetworkError, fetchWithTimeout, isFetchTimedOut, networkErrorParts } from '../lib';
import type { FetchLike } from '../lib';
import {
  SessionApiError,
  SessionApiHttpError,
  SessionApiNetworkError,
  SessionApiResponseError,
  SessionApiTimeoutError,
  type SessionApiOperation,
} from './errors';
import { parseSessionAnswer } from './parse';

/** A request as the client builds it. */
export interface Outgoing {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Tropo's answer, body read in full. */
export interface Answer {
  status: number;
  statusText: string;
  body: string;
}

/** The outcome of one attempt. */
export type AttemptOutcome<T> =
  { ok: true; value: T } | { ok: false; error: SessionApiError; retryable: boolean };

/** What one exchange needs to know besides the request. */
export interface Exchange<T> {
  fetch: FetchLike;
  timeoutMs: number;
  operation: SessionApiOperation;
  redact: (text: string) => string;
  /** Reads a 2xx answer. */
  interpret: (answer: Answer, attempt: number) => T | SessionApiError;
  /** Recognises a non-2xx answer that means something specific (undefined: a plain HTTP error). */
  interpretFailure: (answer: Answer, attempt: number) => SessionApiError | undefined;
}

const EXCERPT_CHARS = 200;
/** Longest reason from Tropo kept in an error. */
export const REASON_CHARS = 500;

/** Sends `outgoing` once and classifies what happened. */
export async function attemptOnce<T>(
  how: Exchange<T>,
  outgoing: Outgoing,
  attempt: number,
): Promise<AttemptOutcome<T>> {
  const { operation, redact } = how;
  let answer: Answer;
  try {
    answer = await fetchWithTimeout(
      how.fetch,
      outgoing.url,
      {
        method: outgoing.method,
        headers: outgoing.headers,
        // A redirect would resend the token to wherever the Location points; treat it as an error instead.
        redirect: 'manual',
        ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
      },
      how.timeoutMs,
      async (response) => ({
        status: response.status,
        statusText: response.statusText,
        body: await response.text(),
      }),
    );
  } catch (thrown) {
    if (isFetchTimedOut(thrown)) {
      // Tropo may have received the request and be starting the call: a retry could dial twice.
      return {
        ok: false,
        error: new SessionApiTimeoutError(how.timeoutMs, operation, attempt),
        retryable: false,
      };
    }
    return { ok: false, error: networkError(thrown, operation, attempt, redact), retryable: true };
  }
  if (answer.status >= 200 && answer.status < 300) {
    const value = how.interpret(answer, attempt);
    return value instanceof SessionApiError
      ? { ok: false, error: value, retryable: false }
      : { ok: true, value };
  }
  const known = how.interpretFailure(answer, attempt);
  if (known) return { ok: false, error: known, retryable: false };
  // 5xx is Tropo having trouble; 3xx/4xx will not change on a second try.
  return {
    ok: false,
    error: httpError(operation, answer, attempt, redact),
    retryable: answer.status >= 500,
  };
}

/** `text` cut to `chars` characters, with an ellipsis when cut. */
export function clip(text: string, chars: number): string {
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

/** The error for a 2xx answer in none of the forms Tropo uses. */
export function badResponse(
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
  const { name, code, message } = networkErrorParts(thrown);
  const cause = Object.assign(new Error(redact(message)), {
    name,
    ...(code === undefined ? {} : { code }),
  });
  return new SessionApiNetworkError(
    describeNetworkError(thrown, redact),
    operation,
    attempt,
    cause,
  );
}
