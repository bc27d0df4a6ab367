/** One bounded HTTP exchange over an injectable `fetch`: the simulator's poster and the Session API client both use it. */

/** The part of `fetch` our HTTP callers use; Node's global `fetch` fits, and so does a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Node's global `fetch`, looked up at call time so a test may replace it. */
export const globalFetch: FetchLike = (url, init) => fetch(url, init);

/** Rejected by `fetchWithTimeout` when the time ran out; its own class so nothing else can be mistaken for it. */
export class FetchTimedOut extends Error {
  override readonly name = 'FetchTimedOut';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** True when `fetchWithTimeout` gave up waiting (rather than the request failing). */
export function isFetchTimedOut(error: unknown): error is FetchTimedOut {
  return error instanceof FetchTimedOut;
}

/**
 * Sends `init` to `url` and hands the response to `read` (which consumes the body), the whole of it
 * bounded by `timeoutMs`: on expiry the request is aborted and the promise rejects with
 * `FetchTimedOut`. Any other rejection is whatever `fetch` or `read` threw.
 */
export async function fetchWithTimeout<T>(
  fetchImpl: FetchLike,
  url: string,
  init: Omit<RequestInit, 'signal'>,
  timeoutMs: number,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Racing our own timer (not only aborting) keeps the bound even if an injected fetch ignores the signal.
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FetchTimedOut(timeoutMs));
      controller.abort();
    }, timeoutMs);
  });
  const work = (async () => read(await fetchImpl(url, { ...init, signal: controller.signal })))();
  // The loser of the race must never surface as an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
