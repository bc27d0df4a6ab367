/** Keeps the Session API error catalogue honest: unique stable codes, working guards, no lost fields in JSON. */
import {
  isSessionApiError,
  isSessionApiHttpError,
  isSessionApiInvalidRequestError,
  isSessionApiNetworkError,
  isSessionApiNotFoundError,
  isSessionApiRejectedError,
  isSessionApiResponseError,
  isSessionApiResponseTooLargeError,
  isSessionApiTimeoutError,
  SessionApiHttpError,
  SessionApiInvalidRequestError,
  SessionApiNetworkError,
  SessionApiNotFoundError,
  SessionApiRejectedError,
  SessionApiResponseError,
  SessionApiResponseTooLargeError,
  SessionApiTimeoutError,
  sessionApiErrorCodes,
} from '../../../src/session-api';

const samples = [
  [
    new SessionApiRejectedError('FAILED TO ROUTE TOKEN', 'createSession', 1),
    isSessionApiRejectedError,
  ],
  [
    new SessionApiHttpError(
      { status: 503, statusText: 'Service Unavailable', reason: undefined, bodyExcerpt: '' },
      'createSession',
      3,
    ),
    isSessionApiHttpError,
  ],
  [new SessionApiTimeoutError(100, 'sendSignal', 1), isSessionApiTimeoutError],
  [
    new SessionApiNetworkError(
      'ECONNREFUSED',
      'createSession',
      3,
      new Error('connect ECONNREFUSED'),
    ),
    isSessionApiNetworkError,
  ],
  [new SessionApiNotFoundError('abc', 'sendSignal', 1), isSessionApiNotFoundError],
  [
    new SessionApiResponseError({ status: 200, bodyExcerpt: '<html>' }, 'createSession', 1),
    isSessionApiResponseError,
  ],
  [
    new SessionApiResponseTooLargeError({ status: 200, maxBytes: 65536 }, 'createSession', 1),
    isSessionApiResponseTooLargeError,
  ],
  [
    new SessionApiInvalidRequestError('a token is required', 'createSession'),
    isSessionApiInvalidRequestError,
  ],
] as const;

describe('Session API errors', () => {
  it('when listing the codes, then each class has its own and every code is used', () => {
    const codes = samples.map(([error]) => error.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.values(sessionApiErrorCodes).sort());
    for (const code of codes) expect(code).toMatch(/^SESSION_API_[A-Z_]+$/);
  });

  it('when checking each error with every guard, then only its own guard (and the base one) says yes', () => {
    for (const [error, ownGuard] of samples) {
      expect(isSessionApiError(error)).toBe(true);
      for (const [, guard] of samples) expect(guard(error)).toBe(guard === ownGuard);
    }
    expect(isSessionApiError(new Error('plain'))).toBe(false);
    expect(isSessionApiRejectedError({ code: sessionApiErrorCodes.rejected })).toBe(false);
  });

  it('when an error comes from another copy of the module, then the guards still know it by name and code', () => {
    const lookAlike = Object.assign(new Error('Tropo rejected createSession: X'), {
      name: 'SessionApiRejectedError',
      code: sessionApiErrorCodes.rejected,
    });
    expect(isSessionApiRejectedError(lookAlike)).toBe(true);
    expect(isSessionApiError(lookAlike)).toBe(true);
    expect(isSessionApiHttpError(lookAlike)).toBe(false);
  });

  it('when serialised to JSON, then name, code, message, fields and cause are kept', () => {
    const [rejected] = samples[0];
    expect(JSON.parse(JSON.stringify(rejected))).toEqual({
      name: 'SessionApiRejectedError',
      code: 'SESSION_API_REJECTED',
      message: 'Tropo rejected createSession: FAILED TO ROUTE TOKEN',
      reason: 'FAILED TO ROUTE TOKEN',
      operation: 'createSession',
      attempts: 1,
    });
    const [network] = samples[3];
    expect(JSON.parse(JSON.stringify(network))).toMatchObject({
      code: 'SESSION_API_NETWORK_ERROR',
      cause: { name: 'Error', message: 'connect ECONNREFUSED' },
    });
  });
});
