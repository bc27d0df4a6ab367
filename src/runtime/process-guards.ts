/** Process-wide safety nets for the server: a stray promise rejection is logged instead of ending the process. */
import type { EventEmitter } from 'node:events';
import { loggableError } from '../server/loggable-error';
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
    logger.error(
      {
        code: 'UNHANDLED_REJECTION',
        err: loggableError(reason ?? new Error('a promise was rejected without a reason')),
      },
      'a promise rejection was not handled',
    );
  };
  target.on('unhandledRejection', onRejection);
  return () => void target.off('unhandledRejection', onRejection);
}
