/** The shared network helpers: one fetch-with-timeout and one wording of network errors for every caller. */
import {
  describeNetworkError,
  fetchWithTimeout,
  FetchTimedOut,
  isFetchTimedOut,
  networkErrorParts,
  type FetchLike,
} from '../../../src/lib';

const text = (response: Response) => response.text();

describe('fetchWithTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('when fetch answers, then `read` gets the response and the signal is never aborted', async () => {
    let signal: AbortSignal | undefined;
    const fetchImpl: FetchLike = (_url, init) => {
      signal = init.signal ?? undefined;
      return Promise.resolve(new Response('hello'));
    };
    await expect(
      fetchWithTimeout(fetchImpl, 'http://x/', { method: 'GET' }, 1_000, text),
    ).resolves.toBe('hello');
    expect(signal?.aborted).toBe(false);
  });

  it('when fetch ignores the abort signal, then the timer alone bounds the call and aborts the signal', async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const neverSettles: FetchLike = (_url, init) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>(() => undefined);
    };
    const outcome = fetchWithTimeout(neverSettles, 'http://x/', {}, 250, text).catch(
      (e: unknown) => e,
    );
    await jest.advanceTimersByTimeAsync(249);
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(isFetchTimedOut(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 250, message: 'no answer within 250 ms' });
    expect(signal?.aborted).toBe(true);
  });

  it('when reading the body outlasts the timeout, then it times out too', async () => {
    jest.useFakeTimers();
    const fetchImpl: FetchLike = () => Promise.resolve(new Response('late'));
    const slowRead = () => new Promise<string>(() => undefined);
    const outcome = fetchWithTimeout(fetchImpl, 'http://x/', {}, 100, slowRead).catch(
      (e: unknown) => e,
    );
    await jest.advanceTimersByTimeAsync(100);
    expect(await outcome).toBeInstanceOf(FetchTimedOut);
  });

  it('when fetch throws synchronously, then the promise rejects with that error (not a timeout)', async () => {
    const boom = new TypeError('bad url');
    const throws: FetchLike = () => {
      throw boom;
    };
    await expect(fetchWithTimeout(throws, 'x', {}, 1_000, text)).rejects.toBe(boom);
  });
});

describe('network error descriptions', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
    code: 'ECONNREFUSED',
  });

  it('when undici wraps the socket error in `fetch failed`, then the description is the inner one', () => {
    const thrown = new TypeError('fetch failed', { cause: refused });
    expect(describeNetworkError(thrown)).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(networkErrorParts(thrown)).toEqual({
      name: 'Error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('when the message does not name the code, then the code leads it', () => {
    const dns = Object.assign(new Error('getaddrinfo failed for example.invalid'), {
      code: 'ENOTFOUND',
    });
    expect(describeNetworkError(new TypeError('fetch failed', { cause: dns }))).toBe(
      'ENOTFOUND: getaddrinfo failed for example.invalid',
    );
  });

  it('when the inner error has a code and no message (an AggregateError), then the code alone', () => {
    const aggregate = Object.assign(new AggregateError([refused], ''), { code: 'ECONNREFUSED' });
    expect(describeNetworkError(new TypeError('fetch failed', { cause: aggregate }))).toBe(
      'ECONNREFUSED',
    );
  });

  it('when only an outer error carries the code, then it is kept', () => {
    const outer = Object.assign(new Error('socket hang up', { cause: new Error('inner') }), {
      code: 'ECONNRESET',
    });
    expect(networkErrorParts(outer)).toMatchObject({ code: 'ECONNRESET', message: 'inner' });
  });

  it('when the error comes from another realm (a plain look-alike), then it is still read', () => {
    const lookAlike = { name: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' };
    expect(describeNetworkError({ message: 'fetch failed', cause: lookAlike })).toBe(
      'connect ECONNREFUSED',
    );
  });

  it('when the message carries a secret, then `redact` runs on it', () => {
    const leaky = new Error('request to https://x/?token=s3cret failed');
    expect(describeNetworkError(leaky, (t) => t.replace('s3cret', '[REDACTED]'))).toBe(
      'request to https://x/?token=[REDACTED] failed',
    );
  });

  it('when something that is not an error was thrown, even one String() cannot show, then a description all the same', () => {
    expect(describeNetworkError('nope')).toBe('nope');
    expect(describeNetworkError(Object.create(null))).toBe(
      'a value that cannot be shown as text was thrown',
    );
    expect(describeNetworkError(new Error(''))).toBe('request failed');
  });

  it('when causes form a cycle, then the walk stops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(typeof describeNetworkError(a)).toBe('string');
  });
});
