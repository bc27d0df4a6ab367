import { errorBody, errorCatalogue, ServerError } from '../../src/server/errors';

describe('the error catalogue', () => {
  it('when listed, then holds exactly the known codes (a new code must be added here on purpose)', () => {
    expect(Object.keys(errorCatalogue).sort()).toEqual(
      [
        'API_DISABLED',
        'APP_DOCUMENT_TOO_LARGE',
        'APP_INVALID_DOCUMENT',
        'APP_PARAMS_INVALID',
        'APP_THREW',
        'APP_TIMEOUT',
        'BODY_NOT_JSON',
        'BODY_TOO_COMPLEX',
        'BODY_TOO_LARGE',
        'BODY_UNREADABLE',
        'BODY_UNSUPPORTED_ENCODING',
        'CAMPAIGNS_NEED_REDIS',
        'CAMPAIGN_INVALID',
        'CAMPAIGN_IN_PROGRESS',
        'CAMPAIGN_NOT_FOUND',
        'CAMPAIGN_TOO_LARGE',
        'HEADERS_TOO_LARGE',
        'INTERNAL',
        'LAUNCH_INVALID',
        'SESSION_API_FAILED',
        'SESSION_API_REJECTED',
        'TOKEN_MISSING',
        'UNAUTHORIZED',
        'NOT_A_RESULT',
        'NOT_A_SESSION',
        'PATH_INVALID',
        'PHONE_BUSY',
        'PHONE_NOT_LOOPBACK',
        'PHONE_NOT_WAITING',
        'PHONE_REQUEST_INVALID',
        'PHONE_SESSION_NOT_FOUND',
        'REQUEST_MALFORMED',
        'REQUEST_TIMEOUT',
        'ROUTE_NOT_FOUND',
        'SESSION_ALREADY_STARTED',
        'STATE_UNAVAILABLE',
        'UNKNOWN_APP',
        'UNKNOWN_HANDLER',
        'WEBHOOK_BAD_SIGNATURE',
        'WEBHOOK_FORBIDDEN_IP',
        'WEBHOOK_UNAUTHORIZED',
      ].sort(),
    );
  });

  it.each(Object.entries(errorCatalogue))(
    'when %s is reported, then its code, status and message are sound',
    (code, entry) => {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect([200, 400, 401, 403, 404, 408, 409, 413, 415, 431, 500, 502, 503]).toContain(
        entry.status,
      );
      expect(entry.message.length).toBeGreaterThan(10);
      expect(entry.message).toMatch(/\.$/);
    },
  );

  it('when an error body is written, then it has code, message and issues only', () => {
    expect(
      JSON.parse(errorBody('NOT_A_SESSION', [{ path: 'session', message: 'missing' }])),
    ).toEqual({
      error: {
        code: 'NOT_A_SESSION',
        message: errorCatalogue.NOT_A_SESSION.message,
        issues: [{ path: 'session', message: 'missing' }],
      },
    });
  });

  it('when a ServerError is made, then it carries the catalogue status', () => {
    const err = new ServerError('UNKNOWN_APP');
    expect(err.status).toBe(404);
    expect(err.code).toBe('UNKNOWN_APP');
  });
});
