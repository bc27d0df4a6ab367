/** Tests the Session API client against a stub Tropo on 127.0.0.1:0: every answer form, retries, timeouts, the exact request, and the token kept out of errors and logs. */
import {
  createSessionApiClient,
  isSessionApiHttpError,
  isSessionApiInvalidRequestError,
  isSessionApiNetworkError,
  isSessionApiNotFoundError,
  isSessionApiRejectedError,
  isSessionApiResponseError,
  isSessionApiTimeoutError,
  type CreateSessionRequest,
  type SessionApiClientOptions,
  type SessionApiEvent,
} from '../../../src/session-api';
import { restBody } from '../../helpers/rest-vectors';
import { refusedBaseUrl, startStubTropo, type StubTropo } from '../../helpers/stub-tropo';

const TOKEN = 'SECRETtoken0123456789abcdef';

let stub: StubTropo;
let events: SessionApiEvent[];
let sleeps: number[];

beforeEach(async () => {
  stub = await startStubTropo();
  events = [];
  sleeps = [];
});

afterEach(async () => {
  await stub.close();
});

/** A client aimed at the stub that records its events and waits for nothing between attempts. */
function client(options: SessionApiClientOptions = {}) {
  return createSessionApiClient({
    baseUrl: stub.baseUrl,
    timeoutMs: 2_000,
    log: (event) => events.push(event),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('createSession', () => {
  it('when Tropo answers JSON, then the exact request was a POST of the token and string parameters to /sessions', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, JSON') });

    const created = await client().createSession({
      token: TOKEN,
      parameters: {
        numberToDial: '+14155551212',
        attempts: 3,
        urgent: true,
        msg: 'the sky is falling.',
      },
    });

    expect(created).toEqual({ id: 'ID', dryRun: false });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/1.0/sessions');
    expect(request?.url).not.toContain(TOKEN);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(
      JSON.stringify({
        token: TOKEN,
        numberToDial: '+14155551212',
        attempts: '3',
        urgent: 'true',
        msg: 'the sky is falling.',
      }),
    );
  });

  it('when Tropo answers the XML form, then the id is read', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, XML') });
    await expect(client().createSession({ token: TOKEN })).resolves.toEqual({
      id: 'ID',
      dryRun: false,
    });
  });

  it('when the XML id carries a trailing newline and spaces, then the id comes back trimmed', async () => {
    stub.answer({
      body: `<session><success>true</success><token>${TOKEN}</token><id>aadfg3Aa321gdc8e628df2\n  </id></session>\n`,
    });
    await expect(client().createSession({ token: TOKEN })).resolves.toEqual({
      id: 'aadfg3Aa321gdc8e628df2',
      dryRun: false,
    });
  });

  it('when Tropo answers form-encoded under a JSON content-type, then the id is read', async () => {
    stub.answer({
      headers: { 'content-type': 'application/json' },
      body: `success=true&token=${TOKEN}&id=f00d1234`,
    });
    await expect(client().createSession({ token: TOKEN })).resolves.toEqual({
      id: 'f00d1234',
      dryRun: false,
    });
  });

  it('when Tropo rejects with a reason, then a rejected error carries it and nothing is retried', async () => {
    stub.answer({ body: restBody('session-api-response', 'failure, XML') });

    const err = await failure(client({ retries: 3 }).createSession({ token: TOKEN }));

    expect(isSessionApiRejectedError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'SESSION_API_REJECTED',
      reason: 'FAILED TO ROUTE TOKEN',
      attempts: 1,
    });
    expect(stub.requests).toHaveLength(1);
    expect(events.map((e) => e.event)).toEqual(['attempt', 'failure']);
  });

  it('when Tropo answers 500 then success, then the second attempt succeeds after a jittered backoff', async () => {
    stub.answer(
      { status: 500, body: 'Internal Server Error' },
      { body: restBody('session-api-response', 'success, JSON') },
    );

    const created = await client({ backoffMs: 200 }).createSession({ token: TOKEN });

    expect(created.id).toBe('ID');
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[1]?.body).toBe(stub.requests[0]?.body);
    // random 0.5 keeps 75 % of the 200 ms ceiling.
    expect(sleeps).toEqual([150]);
    expect(events.map((e) => e.event)).toEqual(['attempt', 'retry', 'attempt', 'success']);
    expect(events[1]).toMatchObject({ code: 'SESSION_API_HTTP_ERROR', delayMs: 150 });
  });

  it('when Tropo keeps answering 503, then it gives up after the bounded retries with the status', async () => {
    stub.answer(...Array.from({ length: 5 }, () => ({ status: 503, body: 'busy' })));

    const err = await failure(
      client({ retries: 2, backoffMs: 100, random: () => 0 }).createSession({ token: TOKEN }),
    );

    expect(isSessionApiHttpError(err)).toBe(true);
    expect(err).toMatchObject({ status: 503, attempts: 3, bodyExcerpt: 'busy' });
    expect(stub.requests).toHaveLength(3);
    // Doubling backoff, jitter at its floor: half of 100, then half of 200.
    expect(sleeps).toEqual([50, 100]);
  });

  it('when the backoff would grow past its cap, then the cap bounds it', async () => {
    stub.answer(...Array.from({ length: 4 }, () => ({ status: 502 })));
    await failure(
      client({ retries: 3, backoffMs: 1_000, maxBackoffMs: 1_500, random: () => 1 }).createSession({
        token: TOKEN,
      }),
    );
    expect(sleeps).toEqual([1_000, 1_500, 1_500]);
  });

  it('when Tropo answers a 4xx with a reason, then the HTTP error carries it and nothing is retried', async () => {
    stub.answer({
      status: 403,
      body: '<session><success>false</success><reason>Token disabled</reason></session>',
    });

    const err = await failure(client().createSession({ token: TOKEN }));

    expect(isSessionApiHttpError(err)).toBe(true);
    expect(err).toMatchObject({ status: 403, reason: 'Token disabled', attempts: 1 });
    expect(stub.requests).toHaveLength(1);
  });

  it('when Tropo does not answer in time, then a timeout error comes and the request is not repeated', async () => {
    stub.answer({ hang: true }, { body: restBody('session-api-response', 'success, JSON') });

    const err = await failure(
      client({ timeoutMs: 150, retries: 2 }).createSession({ token: TOKEN }),
    );

    // The stub never answers, so only the client's own timer can end the call; no wall-clock
    // bound is needed to see that it did, once, without backing off for another attempt.
    expect(isSessionApiTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'SESSION_API_TIMEOUT', timeoutMs: 150, attempts: 1 });
    expect(sleeps).toEqual([]);
    expect(events.map((e) => e.event)).toEqual(['attempt', 'failure']);
    expect(stub.requests).toHaveLength(1);
  });

  it('when an injected fetch ignores the abort signal, then the timeout still bounds the call', async () => {
    const neverSettles = () => new Promise<Response>(() => undefined);
    const err = await failure(
      client({ fetch: neverSettles, timeoutMs: 50 }).createSession({ token: TOKEN }),
    );
    expect(isSessionApiTimeoutError(err)).toBe(true);
  });

  it('when the connection is refused, then it retries boundedly and reports a network error', async () => {
    const err = await failure(
      client({ baseUrl: await refusedBaseUrl(), retries: 2 }).createSession({ token: TOKEN }),
    );

    expect(isSessionApiNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'SESSION_API_NETWORK_ERROR', attempts: 3 });
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(sleeps).toHaveLength(2);
  });

  it('when the connection drops once, then the retry succeeds', async () => {
    stub.answer({ drop: true }, { body: restBody('session-api-response', 'success, XML') });
    await expect(client().createSession({ token: TOKEN })).resolves.toMatchObject({ id: 'ID' });
    expect(stub.requests).toHaveLength(2);
  });

  it('when a 2xx body is in no known form, then a bad-response error comes and nothing is retried', async () => {
    stub.answer({ body: '<html><body>Welcome to the captive portal</body></html>' });

    const err = await failure(client().createSession({ token: TOKEN }));

    expect(isSessionApiResponseError(err)).toBe(true);
    expect(err).toMatchObject({
      status: 200,
      bodyExcerpt: expect.stringContaining('captive portal'),
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('when Tropo redirects, then the token is not resent to the new location', async () => {
    stub.answer({ status: 307, headers: { location: '/elsewhere' } });

    const err = await failure(client().createSession({ token: TOKEN }));

    expect(isSessionApiHttpError(err)).toBe(true);
    expect(err).toMatchObject({ status: 307 });
    expect(stub.requests.map((r) => r.url)).toEqual(['/1.0/sessions']);
  });

  it('when the legacy GET form is chosen, then token and parameters go in the query and the log shows it redacted', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, XML') });

    await client({ legacyGet: true }).createSession({ token: TOKEN, parameters: { msg: 'a b&c' } });

    const [request] = stub.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/1.0/sessions');
    expect([...(request?.query ?? [])]).toEqual([
      ['action', 'create'],
      ['token', TOKEN],
      ['msg', 'a b&c'],
    ]);
    expect(request?.body).toBe('');
    expect(events[0]).toMatchObject({ event: 'attempt', method: 'GET' });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(events[0]).toMatchObject({ url: expect.stringContaining('[Redacted]') });
  });

  it('when in dry-run mode, then nothing is sent and the log shows what would be, token redacted', async () => {
    const created = await client({ dryRun: true }).createSession({
      token: TOKEN,
      parameters: { numberToDial: '+14155551212' },
    });

    expect(created.dryRun).toBe(true);
    expect(created.id).toMatch(/^dry-run-[0-9a-f]{16}$/);
    expect(stub.requests).toHaveLength(0);
    expect(events).toEqual([
      {
        event: 'dry-run',
        operation: 'createSession',
        would: 'createSession',
        method: 'POST',
        url: `${stub.baseUrl}/sessions`,
        parameters: { token: '[Redacted]', numberToDial: '+14155551212' },
      },
    ]);
  });

  it.each([
    ['no token', { token: '' }],
    ['a parameter named token', { token: TOKEN, parameters: { token: 'other' } }],
    ['a nested parameter', { token: TOKEN, parameters: { to: { number: '1' } } }],
    ['a non-finite number', { token: TOKEN, parameters: { n: Number.NaN } }],
  ] as Array<[string, unknown]>)(
    'when given %s, then nothing is sent and an invalid-request error comes',
    async (_l, request) => {
      // The cast lets the test send what the types forbid, as an untyped caller (a JSON route) could.
      const err = await failure(client().createSession(request as CreateSessionRequest));
      expect(isSessionApiInvalidRequestError(err)).toBe(true);
      expect(stub.requests).toHaveLength(0);
    },
  );

  it('when the base URL is malformed or carries credentials, then the client refuses to be built without echoing it', () => {
    expect(() => createSessionApiClient({ baseUrl: `not a url ${TOKEN}` })).toThrow(
      /not a valid absolute URL/,
    );
    expect(() =>
      createSessionApiClient({ baseUrl: `https://u:${TOKEN}@api.tropo.com/1.0` }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(TOKEN) }));
    expect(() => createSessionApiClient({ retries: 99 })).toThrow(RangeError);
  });
});

describe('sendSignal', () => {
  it('when Tropo queues the signal, then the exact request was a POST to the session signals URL', async () => {
    stub.answer({ body: restBody('signal-api-response', 'Signals API success') });

    const sent = await client().sendSignal('abc 123/x', 'exit');

    expect(sent).toEqual({ status: 'QUEUED', dryRun: false });
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/1.0/sessions/abc%20123%2Fx/signals?action=signal&value=exit');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('action=signal&value=exit');
  });

  it('when Tropo answers JSON, then the status is read', async () => {
    stub.answer({ body: '{"status":"QUEUED"}' });
    await expect(client().sendSignal('s1', 'stopHold')).resolves.toEqual({
      status: 'QUEUED',
      dryRun: false,
    });
  });

  it('when the session is unknown, then a not-found error names it', async () => {
    stub.answer({ body: '<signal><status>NOTFOUND</status></signal>' });
    const err = await failure(client().sendSignal('gone', 'exit'));
    expect(isSessionApiNotFoundError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'SESSION_API_NOT_FOUND', sessionId: 'gone' });
  });

  it('when the session is unknown and Tropo says so with a 404, then it is still a not-found error', async () => {
    stub.answer({ status: 404, body: '<signal><status>NOTFOUND</status></signal>' });
    const err = await failure(client().sendSignal('gone', 'exit'));
    expect(isSessionApiNotFoundError(err)).toBe(true);
    expect(stub.requests).toHaveLength(1);
  });

  it('when the signals URL answers a bare 404, then it is an HTTP error (a wrong base URL, not a gone session)', async () => {
    stub.answer({ status: 404, body: 'Not Found' });
    const err = await failure(client().sendSignal('s1', 'exit'));
    expect(isSessionApiHttpError(err)).toBe(true);
    expect(err).toMatchObject({ status: 404 });
  });

  it('when Tropo answers another status, then it is a rejection carrying that status', async () => {
    stub.answer({ body: '<signal><status>FAILED</status></signal>' });
    const err = await failure(client().sendSignal('s1', 'exit'));
    expect(isSessionApiRejectedError(err)).toBe(true);
    expect(err).toMatchObject({ reason: 'FAILED', operation: 'sendSignal' });
  });

  it('when Tropo answers 500 then queues, then the retry succeeds', async () => {
    stub.answer({ status: 500 }, { body: '<signal><status>QUEUED</status></signal>' });
    await expect(client().sendSignal('s1', 'exit')).resolves.toMatchObject({ status: 'QUEUED' });
    expect(stub.requests).toHaveLength(2);
  });

  it('when in dry-run mode, then nothing is sent', async () => {
    await expect(client({ dryRun: true }).sendSignal('s1', 'exit')).resolves.toEqual({
      status: 'DRY-RUN',
      dryRun: true,
    });
    expect(stub.requests).toHaveLength(0);
    expect(events[0]).toMatchObject({ event: 'dry-run', would: 'sendSignal' });
  });
});

describe('the token', () => {
  /** Every place a token could hide in an error: its text, JSON, stack, and its cause's. */
  function everySurfaceOf(err: unknown): string {
    const e = err as Error;
    const cause = e.cause as Error | undefined;
    return [
      String(e),
      e.message,
      JSON.stringify(e),
      e.stack,
      String(cause),
      cause?.stack,
      JSON.stringify(cause),
    ].join('\n');
  }

  const echoing = [
    [
      'a rejection whose reason echoes it',
      {
        body: `<session><success>false</success><token>${TOKEN}</token><reason>bad token ${TOKEN}</reason></session>`,
      },
    ],
    ['a 500 page that echoes it', { status: 500, body: `error for token=${TOKEN}` }],
    [
      'a 401 whose body echoes it URL-encoded',
      { status: 401, body: `token=${encodeURIComponent(TOKEN)}` },
    ],
    ['an unknown 2xx body that echoes it', { body: `<html>${TOKEN}</html>` }],
    ['a timeout', { hang: true }],
    ['a dropped connection', { drop: true }],
  ] as const;

  it.each(echoing)(
    'when the call fails with %s, then no error surface or log event contains it',
    async (_label, answer) => {
      await stub.close();
      stub = await startStubTropo({ fallback: answer });

      const err = await failure(
        client({ timeoutMs: 100, retries: 1 }).createSession({ token: TOKEN }),
      );

      expect(everySurfaceOf(err)).not.toContain('SECRETtoken');
      expect(JSON.stringify(events)).not.toContain('SECRETtoken');
      expect(stub.requests[0]?.body).toContain(TOKEN);
    },
  );

  it('when the legacy GET form fails and fetch puts the URL in its error, then the token is still redacted', async () => {
    const urls: string[] = [];
    const leakyFetch = (url: string) => {
      urls.push(url);
      return Promise.reject(
        new TypeError('fetch failed', { cause: new Error(`getaddrinfo ENOTFOUND for ${url}`) }),
      );
    };

    const err = await failure(
      client({ fetch: leakyFetch, legacyGet: true }).createSession({ token: TOKEN }),
    );

    expect(urls[0]).toContain(TOKEN);
    expect(isSessionApiNetworkError(err)).toBe(true);
    expect(everySurfaceOf(err)).toContain('[Redacted]');
    expect(everySurfaceOf(err)).not.toContain('SECRETtoken');
    expect(JSON.stringify(events)).not.toContain('SECRETtoken');
  });

  it('when a refused connection is reported, then neither the error nor the log contains it', async () => {
    const err = await failure(
      client({ baseUrl: await refusedBaseUrl(), legacyGet: true }).createSession({ token: TOKEN }),
    );
    expect(everySurfaceOf(err)).not.toContain('SECRETtoken');
    expect(JSON.stringify(events)).not.toContain('SECRETtoken');
  });
});
