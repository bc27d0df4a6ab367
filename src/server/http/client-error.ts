/** Answers for requests Node's HTTP parser refuses before Express sees them: JSON from the catalogue, then the connection closes. */
import type { Socket } from 'node:net';
import { errorBody, errorCatalogue, type ErrorCode } from '../errors';
import type { Logger } from 'pino';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The catalogue code for an error Node's HTTP server reports as `clientError`. */
export function clientErrorCode(err: { code?: unknown }): ErrorCode {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    default:
      return 'REQUEST_MALFORMED';
  }
}

/** The raw HTTP response written for a catalogue code on a connection that is then closed. */
export function rawErrorResponse(code: ErrorCode): string {
  const { status } = errorCatalogue[code];
  const body = errorBody(code);
  return [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * The server's `clientError` listener: a slow, malformed or oversized request gets a JSON answer
 * (when nothing was written on the connection yet) and the connection is closed, as Node's own
 * default does, but in our error format. Logged at debug: scanners make these all day.
 */
export function clientErrorHandler(logger: Logger): (err: Error, socket: Socket) => void {
  return (err, socket) => {
    const code = clientErrorCode(err as { code?: unknown });
    logger.debug({ code, reason: (err as { code?: unknown }).code }, 'client error');
    if ((err as { code?: unknown }).code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // The response in flight on this connection, if any (Node's own default checks the same).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inFlight?.headersSent) {
      // A response is already under way: a second one would corrupt it.
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(code));
    // Read off what the client is still sending: closing with unread data makes the kernel reset
    // the connection, and the client would lose the answer. A peer that never stops must not hold
    // the socket open, though.
    socket.on('data', () => undefined);
    socket.resume();
    socket.setTimeout(1_000, () => socket.destroy());
  };
}
