/**
 * The simulator's one way to talk to an app: POST a JSON body as Tropo does (§2) and classify what
 * comes back, bounded by a timeout and a size limit; `fetch` is injectable so tests need no network.
 */
import {
  describeNetworkError,
  fetchWithTimeout,
  globalFetch,
  isFetchTimedOut,
  type FetchLike,
} from '../lib';

export type { FetchLike } from '../lib';

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

/** Makes the POST function: JSON body, `application/json` request, redirects not followed. */
export function createPoster(options: PosterOptions = {}): PostJson {
  const fetchImpl: FetchLike = options.fetch ?? globalFetch;
  const now = options.now ?? (() => performance.now());
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  return async (url, body, timeoutMs) => {
    const started = now();
    try {
      return await fetchWithTimeout(
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            accept: 'application/json',
          },
          body,
          // Tropo's behaviour on redirects is not documented; a 3xx is reported, not followed.
          redirect: 'manual',
        },
        timeoutMs,
        async (response): Promise<HttpAnswer> => {
          const { text, truncated } = await readLimited(response, maxBytes);
          return {
            ok: true,
            status: response.status,
            contentType: response.headers.get('content-type'),
            body: text,
            truncated,
            durationMs: now() - started,
          };
        },
      );
    } catch (error) {
      const durationMs = now() - started;
      if (isFetchTimedOut(error)) {
        return { ok: false, kind: 'timeout', message: error.message, durationMs };
      }
      return { ok: false, kind: 'network', message: describeNetworkError(error), durationMs };
    }
  };
}
