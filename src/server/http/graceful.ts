/**
 * Graceful close for a node:http server. `server.close()` alone stops the listener but leaves
 * keep-alive connections open after their last response (a tunnel or proxy keeps them for minutes),
 * so here every response finished during the drain says `Connection: close`, idle connections are
 * closed, and a deadline cuts whatever is still open.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** What a drain ended with. */
export interface DrainOutcome {
  /** True when the deadline passed and open connections were cut. */
  forced: boolean;
  /** Requests still in flight when the deadline passed (0 unless forced). */
  abandoned: number;
}

/** A server that can be drained. */
export interface Drainable {
  /** Requests being answered right now. */
  inFlight(): number;
  /** Stops listening and resolves once every connection is closed, or `timeoutMs` has passed. */
  drain(timeoutMs: number): Promise<DrainOutcome>;
}

function closeAfter(res: ServerResponse): void {
  // Before the headers go out the response can still ask the client to close; after, nothing can.
  if (!res.headersSent) res.setHeader('connection', 'close');
}

/**
 * Tracks `server`'s requests in flight; call before any other 'request' listener is added (give
 * the app to the server with `server.on('request', app)` after this), so tracking sees each
 * request before the app can answer it.
 */
export function drainable(server: Server): Drainable {
  const open = new Set<ServerResponse>();
  let draining = false;

  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) closeAfter(res);
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      // The connection is idle now: close it rather than wait for the client's next request.
      if (draining) server.closeIdleConnections();
    });
  });

  let drained: Promise<DrainOutcome> | undefined;
  return {
    inFlight: () => open.size,
    drain(timeoutMs) {
      drained ??= new Promise<DrainOutcome>((resolve) => {
        draining = true;
        for (const res of open) closeAfter(res);
        const timer = setTimeout(() => {
          const abandoned = open.size;
          server.closeAllConnections();
          resolve({ forced: true, abandoned });
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve({ forced: false, abandoned: 0 });
        });
        server.closeIdleConnections();
      });
      return drained;
    },
  };
}
