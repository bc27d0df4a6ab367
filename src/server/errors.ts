/** The one catalogue of errors the server reports: stable codes, HTTP statuses and caller-facing messages. */

/** Every error the server reports, by stable code. `status` 200 marks a fallback: Tropo gets a safe document. */
export const errorCatalogue = {
  BODY_NOT_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than this server accepts.' },
  BODY_TOO_COMPLEX: {
    status: 400,
    message: 'The request body nests deeper, or holds more items, than any Tropo payload.',
  },
  BODY_UNSUPPORTED_ENCODING: {
    status: 415,
    message: 'The request body uses a content encoding or charset this server does not accept.',
  },
  BODY_UNREADABLE: { status: 400, message: 'The request body could not be read.' },
  PATH_INVALID: {
    status: 400,
    message: 'The request path is not valid: it holds a malformed percent-encoding.',
  },
  REQUEST_MALFORMED: { status: 400, message: 'The request is not valid HTTP.' },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request was not received in time; the connection is closed.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    message: 'The request headers are larger than this server accepts.',
  },
  NOT_A_SESSION: {
    status: 400,
    message: 'The body is not a Tropo session: expected {"session":{…}}.',
  },
  NOT_A_RESULT: {
    status: 400,
    message: 'The body is not a Tropo result: expected {"result":{…}}.',
  },
  SESSION_ALREADY_STARTED: {
    status: 409,
    message: 'This session has already started; a session is started once.',
  },
  UNKNOWN_APP: { status: 404, message: 'No app of that name is registered.' },
  UNKNOWN_HANDLER: { status: 404, message: 'The app has no handler of that name.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'Nothing is served at this path.' },
  APP_THREW: { status: 200, message: 'The app failed while building its answer.' },
  APP_TIMEOUT: { status: 200, message: 'The app did not answer within APP_TIMEOUT_MS.' },
  APP_INVALID_DOCUMENT: {
    status: 200,
    message: 'The app answered with an invalid WebAPI document.',
  },
  APP_DOCUMENT_TOO_LARGE: {
    status: 200,
    message: 'The app answered with a document larger than this server sends.',
  },
  APP_PARAMS_INVALID: { status: 200, message: 'The session parameters do not fit the app.' },
  STATE_UNAVAILABLE: { status: 200, message: 'The conversation state store is unavailable.' },
  API_DISABLED: { status: 404, message: 'The session launch API is disabled: API_KEY is not set.' },
  UNAUTHORIZED: {
    status: 401,
    message: 'A valid "Authorization: Bearer <API_KEY>" header is required.',
  },
  WEBHOOK_UNAUTHORIZED: {
    status: 401,
    message: 'This URL needs the webhook key: add ?key=<WEBHOOK_SECRET> to the URL Tropo calls.',
  },
  WEBHOOK_FORBIDDEN_IP: {
    status: 403,
    message: 'Requests from this address are not accepted (WEBHOOK_ALLOW_IPS).',
  },
  WEBHOOK_BAD_SIGNATURE: {
    status: 403,
    message: 'The continuation URL was not issued for this session and handler.',
  },
  LAUNCH_INVALID: {
    status: 400,
    message: 'The launch request is not valid; nothing was launched.',
  },
  TOKEN_MISSING: {
    status: 503,
    message: 'No Tropo token is configured for this app (TROPO_TOKEN_<APP> or TROPO_TOKEN).',
  },
  SESSION_API_REJECTED: { status: 502, message: 'Tropo rejected the session launch.' },
  SESSION_API_FAILED: { status: 502, message: 'Tropo could not be reached to launch the session.' },
  CAMPAIGNS_NEED_REDIS: {
    status: 503,
    message:
      'Campaigns need Redis: set REDIS_URL (e.g. `docker compose up`, or run redis-server and set REDIS_URL=redis://127.0.0.1:6379).',
  },
  CAMPAIGN_INVALID: { status: 400, message: 'The campaign is not valid; nothing was created.' },
  CAMPAIGN_TOO_LARGE: {
    status: 400,
    message: 'The campaign holds more reminders than CAMPAIGN_MAX_REMINDERS; nothing was created.',
  },
  CAMPAIGN_NOT_FOUND: { status: 404, message: 'No campaign has that id.' },
  CAMPAIGN_IN_PROGRESS: {
    status: 409,
    message: 'A campaign with this Idempotency-Key is still being created; ask again in a moment.',
  },
  PHONE_REQUEST_INVALID: {
    status: 400,
    message: 'The phone request is not valid; nothing was started or answered.',
  },
  PHONE_NOT_LOOPBACK: {
    status: 403,
    message:
      'Without API_KEY the browser phone answers only requests made to this machine by a loopback name (http://127.0.0.1:PORT or http://localhost:PORT); set API_KEY to use it under another name.',
  },
  PHONE_BUSY: {
    status: 503,
    message:
      'The browser phone takes no more sessions now: as many run as may (hang one up), or the server is shutting down.',
  },
  PHONE_SESSION_NOT_FOUND: { status: 404, message: 'No phone session of that id is running.' },
  PHONE_NOT_WAITING: {
    status: 409,
    message: 'The phone session is not waiting for that answer (it moved on, or ended).',
  },
  INTERNAL: { status: 500, message: 'Internal server error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A problem attached to an error answer, naming the JSON path it concerns. */
export interface ErrorIssue {
  path: string;
  message: string;
}

/** An error with a catalogue code; only its code, message and issues ever reach a caller. */
export class ServerError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: readonly ErrorIssue[];

  constructor(code: ErrorCode, options: { issues?: readonly ErrorIssue[]; cause?: unknown } = {}) {
    super(
      errorCatalogue[code].message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'ServerError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.issues = options.issues ?? [];
  }
}

/** The JSON body of an error answer: `{"error":{"code","message","issues"}}`. */
export function errorBody(
  code: ErrorCode,
  issues: readonly ErrorIssue[] = [],
  extra: { reason?: string } = {},
): string {
  return JSON.stringify({
    error: {
      code,
      message: errorCatalogue[code].message,
      ...extra,
      issues: issues.map(({ path, message }) => ({ path, message })),
    },
  });
}
