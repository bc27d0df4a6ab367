/** Process-wide safety nets for the server: a stray promise rejection is logged instead of ending the process. */
import type { EventEmitter } from 'node:events';
import type { Logger } from './logger';

/**
 * Logs unhandled rejections and keeps serving. Node 20 would otherwise end the process, so one
 * app that forgets a `.catch` on a background promise would hang up every call in flight. The
 * server's own code leaves none (a hostile-traffic test counts them); this guards app code.
 * Returns a function that removes the listener.
 */
export function guardUnhandledRejections(
  logger: Logger,
  target: EventEmitter = process,
): () => void {
  const onRejection = (reason: unknown) => {
    let shown: { type: string; message: string; stack?: string };
    try {
      shown =
        reason instanceof Error
          ? {
              type: String(reason.name),
              message: String(reason.message),
              ...(typeof reason.stack === 'string' ? { stack: reason.stack } : {}),
            }
          : { type: typeof reason, message: String(reason) };
    } catch {
      shown = { type: typeof reason, message: 'a value that cannot be shown as text' };
    }
    // Not under `err`: pino's error serializer would rename the type of this plain object to "Object".
    logger.error(
      { code: 'UNHANDLED_REJECTION', error: shown },
      'a promise rejection was not handled',
    );
  };
  target.on('unhandledRejection', onRejection);
  return () => void target.off('unhandledRejection', onRejection);
}
