/** Errors from code the server does not control (apps), made safe to log: reading them can never throw. */
import { toError } from '../lib';

export { toError };

/**
 * The error to hand pino under `err` (its serializer keeps type, message, stack and causes), or a
 * stand-in when reading the error's fields throws: a getter or proxy must not break the log line
 * that reports it. Undefined when there is nothing to log.
 */
export function loggableError(value: unknown): Error | undefined {
  if (value === undefined) return undefined;
  const err = toError(value);
  try {
    // What pino's serializer reads: the standard fields, the cause chain and every enumerable key.
    const seen = new Set<unknown>();
    for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
      seen.add(e);
      void [e.name, e.message, e.stack, e.constructor];
      for (const key in e) void (e as unknown as Record<string, unknown>)[key];
    }
    return err;
  } catch {
    return new Error('an error whose fields cannot be read was thrown');
  }
}
