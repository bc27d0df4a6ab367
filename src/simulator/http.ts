/**
 * The simulator's one way to talk to an app: POST a JSON body as Tropo does (§2) and classify what
 * comes back, bounded by a timeout and a size limit; `fetch` is injectable so tests need no network.
 */

/** The part of `fetch` the simulator uses; Node's global `fetch` fits, and so does a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What the app answered, whatever the status. */
export interface HttpAnswer {
  ok: true;
  status: number;
  /** The `content-type` header, or null when there was none. */
  contentType: string | null;
  body: string;
  /** True when the body was longer than the limit and was cut. */
  truncated: boolean;
  durationMs: number;
}

/** Why no answer arrived. */
export interface HttpFailure {
  ok: false;
  kind: 'timeout' | 'network';
  message: string;
  durationMs: number;
}

/** The outcome of one POST. */
export type HttpOutcome = HttpAnswer | HttpFailure;

/** POSTs `body` (JSON text) to `url`; never throws. */
export type PostJson = (url: string, body: string, timeoutMs: number) => Promise<HttpOutcome>;

/** Bodies longer than this are cut: a WebAPI document is a few kilobytes. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Options of `createPoster`. */
export interface PosterOptions {
  fetch?: FetchLike | undefined;
  /** Milliseconds clock used to time the exchange; default `performance.now`. */
  now?: (() => number) | undefined;
  maxBytes?: number | undefined;
}

/** Thrown by the timer so nothing else can be mistaken for a timeout. */
class TimedOut extends Error {}

async function readLimited(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  // The DOM typings leave the stream's chunk type open; fetch bodies always yield bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

function describeNetworkError(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (jest), where instanceof fails.
  const outer = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    cause?: unknown;
  };
  const cause = (typeof outer.cause === 'object' && outer.cause !== null ? outer.cause : {}) as {
    code?: unknown;
    message?: unknown;
  };
  // undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  if (typeof cause.message === 'string' && cause.message !== '') {
    return typeof cause.code === 'string' ? `${cause.code}: ${cause.message}` : cause.message;
  }
  if (typeof cause.code === 'string') return cause.code;
  return typeof outer.message === 'string' ? outer.message : String(error);
}

/** Makes the POST function: JSON body, `application/json` request, redirects not followed. */
export function createPoster(options: PosterOptions = {}): PostJson {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? (() => performance.now());
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  return async (url, body, timeoutMs) => {
    const started = now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Racing our own timer keeps the bound even if an injected fetch ignores the abort signal.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new TimedOut());
        controller.abort();
      }, timeoutMs);
    });
    const work = (async (): Promise<HttpAnswer> => {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body,
        // Tropo's behaviour on redirects is not documented; a 3xx is reported, not followed.
        redirect: 'manual',
        signal: controller.signal,
      });
      const { text, truncated } = await readLimited(response, maxBytes);
      return {
        ok: true,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: text,
        truncated,
        durationMs: now() - started,
      };
    })();
    // The loser of the race must never surface as an unhandled rejection.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, expired]);
    } catch (error) {
      const durationMs = now() - started;
      if (error instanceof TimedOut) {
        return {
          ok: false,
          kind: 'timeout',
          message: `no answer within ${timeoutMs} ms`,
          durationMs,
        };
      }
      return { ok: false, kind: 'network', message: describeNetworkError(error), durationMs };
    } finally {
      clearTimeout(timer);
    }
  };
}
