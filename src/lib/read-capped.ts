/** Reads a fetch response's body as text, up to a byte cap: a bigger answer is refused, not buffered. */

/** The body was longer than the cap; the rest of it was not read (the stream is cancelled). */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';

  constructor(readonly maxBytes: number) {
    super(`the answer is longer than ${maxBytes} bytes`);
  }
}

/** True when `readTextCapped` refused a body over its cap. */
export function isBodyTooLarge(error: unknown): error is BodyTooLarge {
  return error instanceof BodyTooLarge;
}

/**
 * The body of `response` as UTF-8 text, rejecting with BodyTooLarge as soon as more than
 * `maxBytes` bytes are announced (Content-Length) or have arrived; only up to the cap is held.
 */
export async function readTextCapped(response: Response, maxBytes: number): Promise<string> {
  const announced = Number(response.headers.get('content-length'));
  const body = response.body;
  if (Number.isFinite(announced) && announced > maxBytes) {
    await body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(maxBytes);
  }
  if (body === null) return '';
  // Typed: the DOM lib types a Response body's chunks as `any`.
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      // Cancelling stops the download: the rest never reaches memory.
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
