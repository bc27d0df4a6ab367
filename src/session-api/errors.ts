/** Typed errors of the Session API client: one class per concern, each with a stable code and a type guard. */

/** The operation that failed, so a caller can tell a failed launch from a failed signal. */
export type SessionApiOperation = 'createSession' | 'sendSignal';

/** Every stable code this client can throw; routes map them to HTTP answers, tests to the catalogue. */
export const sessionApiErrorCodes = {
  rejected: 'SESSION_API_REJECTED',
  http: 'SESSION_API_HTTP_ERROR',
  timeout: 'SESSION_API_TIMEOUT',
  network: 'SESSION_API_NETWORK_ERROR',
  notFound: 'SESSION_API_NOT_FOUND',
  badResponse: 'SESSION_API_BAD_RESPONSE',
  tooLarge: 'SESSION_API_RESPONSE_TOO_LARGE',
  invalidRequest: 'SESSION_API_INVALID_REQUEST',
} as const;

export type SessionApiErrorCode = (typeof sessionApiErrorCodes)[keyof typeof sessionApiErrorCodes];

/**
 * Base of every error the client throws. Callers must pass only redacted text in: the constructors
 * cannot know the token, so the client redacts before building an error.
 */
export abstract class SessionApiError extends Error {
  abstract readonly code: SessionApiErrorCode;
  readonly operation: SessionApiOperation;
  /** How many HTTP attempts were made before giving up (0 when the request was refused locally). */
  readonly attempts: number;

  protected constructor(
    message: string,
    operation: SessionApiOperation,
    attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.operation = operation;
    this.attempts = attempts;
  }

  /** A plain view for structured loggers; `message` is not an own enumerable property of an Error. */
  toJSON(): Record<string, unknown> {
    const view: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) view[key] = value;
    if (this.cause instanceof Error) {
      view.cause = { ...this.cause, name: this.cause.name, message: this.cause.message };
    }
    return view;
  }
}

/** Tropo answered and said no (`success` false), e.g. `FAILED TO ROUTE TOKEN`. Never retried. */
export class SessionApiRejectedError extends SessionApiError {
  override readonly name = 'SessionApiRejectedError';
  readonly code = sessionApiErrorCodes.rejected;
  /** Tropo's own words (`<reason>`), or a note that it gave none. */
  readonly reason: string;

  constructor(reason: string, operation: SessionApiOperation, attempts: number) {
    super(`Tropo rejected ${operation}: ${reason}`, operation, attempts);
    this.reason = reason;
  }
}

/** Tropo (or something in front of it) answered with a non-2xx status. Retried only for 5xx. */
export class SessionApiHttpError extends SessionApiError {
  override readonly name = 'SessionApiHttpError';
  readonly code = sessionApiErrorCodes.http;
  readonly status: number;
  /** The `<reason>` Tropo put in the error body, when it put one there. */
  readonly reason: string | undefined;
  /** The start of the answer body, token redacted, to tell a Tropo error from a proxy's page. */
  readonly bodyExcerpt: string;

  constructor(
    details: {
      status: number;
      statusText: string;
      reason: string | undefined;
      bodyExcerpt: string;
    },
    operation: SessionApiOperation,
    attempts: number,
  ) {
    const because = details.reason === undefined ? '' : `: ${details.reason}`;
    super(
      `Tropo Session API answered ${operation} with HTTP ${details.status}${details.statusText ? ` ${details.statusText}` : ''}${because}`,
      operation,
      attempts,
    );
    this.status = details.status;
    this.reason = details.reason;
    this.bodyExcerpt = details.bodyExcerpt;
  }
}

/** No complete answer within the per-attempt timeout. Not retried: Tropo may already have acted. */
export class SessionApiTimeoutError extends SessionApiError {
  override readonly name = 'SessionApiTimeoutError';
  readonly code = sessionApiErrorCodes.timeout;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, operation: SessionApiOperation, attempts: number) {
    super(
      `Tropo Session API did not answer ${operation} within ${timeoutMs} ms`,
      operation,
      attempts,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The request never got an HTTP answer (refused, reset, DNS…). Retried. */
export class SessionApiNetworkError extends SessionApiError {
  override readonly name = 'SessionApiNetworkError';
  readonly code = sessionApiErrorCodes.network;

  /** `cause` must be a sanitised copy of the underlying error, never the original object. */
  constructor(detail: string, operation: SessionApiOperation, attempts: number, cause: Error) {
    super(
      `could not reach the Tropo Session API for ${operation}: ${detail}`,
      operation,
      attempts,
      {
        cause,
      },
    );
  }
}

/** The signals endpoint says the session does not exist (or has ended): `NOTFOUND`. */
export class SessionApiNotFoundError extends SessionApiError {
  override readonly name = 'SessionApiNotFoundError';
  readonly code = sessionApiErrorCodes.notFound;
  readonly sessionId: string;

  constructor(sessionId: string, operation: SessionApiOperation, attempts: number) {
    super(`Tropo has no running session ${JSON.stringify(sessionId)}`, operation, attempts);
    this.sessionId = sessionId;
  }
}

/** A 2xx answer in none of the forms Tropo uses. Not retried: the session may have started. */
export class SessionApiResponseError extends SessionApiError {
  override readonly name = 'SessionApiResponseError';
  readonly code = sessionApiErrorCodes.badResponse;
  readonly status: number;
  readonly bodyExcerpt: string;

  constructor(
    details: { status: number; bodyExcerpt: string },
    operation: SessionApiOperation,
    attempts: number,
  ) {
    super(
      `Tropo Session API answered ${operation} with a body the client does not understand`,
      operation,
      attempts,
    );
    this.status = details.status;
    this.bodyExcerpt = details.bodyExcerpt;
  }
}

/** The answer was longer than the client reads (64 KB): refused unread. Not retried: the session may have started. */
export class SessionApiResponseTooLargeError extends SessionApiError {
  override readonly name = 'SessionApiResponseTooLargeError';
  readonly code = sessionApiErrorCodes.tooLarge;
  readonly status: number;
  readonly maxBytes: number;

  constructor(
    details: { status: number; maxBytes: number },
    operation: SessionApiOperation,
    attempts: number,
  ) {
    super(
      `Tropo Session API answered ${operation} (HTTP ${details.status}) with a body over ${details.maxBytes} bytes; it was not read`,
      operation,
      attempts,
    );
    this.status = details.status;
    this.maxBytes = details.maxBytes;
  }
}

/** The caller's input cannot be sent (missing token, nested parameter…); nothing was sent. */
export class SessionApiInvalidRequestError extends SessionApiError {
  override readonly name = 'SessionApiInvalidRequestError';
  readonly code = sessionApiErrorCodes.invalidRequest;

  constructor(message: string, operation: SessionApiOperation) {
    super(message, operation, 0);
  }
}

// The guards also accept look-alikes by name and code, as ky does, so an error that crossed a
// duplicated module copy or realm (jest registries, bundles) is still recognised.
function guard<T extends SessionApiError>(
  cls: abstract new (...args: never[]) => T,
  name: string,
  code: SessionApiErrorCode,
): (error: unknown) => error is T {
  return (error: unknown): error is T =>
    error instanceof cls || (nameOf(error) === name && codeOf(error) === code);
}

/** True for any error thrown by the Session API client. */
export function isSessionApiError(error: unknown): error is SessionApiError {
  const code = codeOf(error);
  return (
    error instanceof SessionApiError ||
    (typeof code === 'string' &&
      (Object.values(sessionApiErrorCodes) as string[]).includes(code) &&
      nameOf(error)?.startsWith('SessionApi') === true)
  );
}

// Read by duck typing: `instanceof Error` fails for errors made in another realm (vm, test runners).
function nameOf(error: unknown): string | undefined {
  const name =
    typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

/** True when Tropo answered and refused (`success` false). */
export const isSessionApiRejectedError = guard(
  SessionApiRejectedError,
  'SessionApiRejectedError',
  sessionApiErrorCodes.rejected,
);
/** True for a non-2xx HTTP answer. */
export const isSessionApiHttpError = guard(
  SessionApiHttpError,
  'SessionApiHttpError',
  sessionApiErrorCodes.http,
);
/** True when an attempt ran out of time. */
export const isSessionApiTimeoutError = guard(
  SessionApiTimeoutError,
  'SessionApiTimeoutError',
  sessionApiErrorCodes.timeout,
);
/** True when Tropo could not be reached at all. */
export const isSessionApiNetworkError = guard(
  SessionApiNetworkError,
  'SessionApiNetworkError',
  sessionApiErrorCodes.network,
);
/** True when a signal named a session Tropo does not know. */
export const isSessionApiNotFoundError = guard(
  SessionApiNotFoundError,
  'SessionApiNotFoundError',
  sessionApiErrorCodes.notFound,
);
/** True for a 2xx answer in no known form. */
export const isSessionApiResponseError = guard(
  SessionApiResponseError,
  'SessionApiResponseError',
  sessionApiErrorCodes.badResponse,
);
/** True when an answer was over the client's size cap. */
export const isSessionApiResponseTooLargeError = guard(
  SessionApiResponseTooLargeError,
  'SessionApiResponseTooLargeError',
  sessionApiErrorCodes.tooLarge,
);
/** True when the client refused the caller's input before sending anything. */
export const isSessionApiInvalidRequestError = guard(
  SessionApiInvalidRequestError,
  'SessionApiInvalidRequestError',
  sessionApiErrorCodes.invalidRequest,
);
