/** The state store's public surface: `createStateStore` picks Redis when a URL is given, memory otherwise. */
import { createMemoryStore } from './memory';
import type { StateStoreEvent } from './redis';
import { createRedisStore } from './redis';
import type { StateStore } from './store';

export type { JsonObject, JsonValue, StateStore, StoreHealth } from './store';
export {
  DEFAULT_MAX_BYTES_PER_SESSION,
  DEFAULT_TTL_SECONDS,
  STATE_TOO_LARGE,
  STATE_UNAVAILABLE,
  StateTooLargeError,
  StateUnavailableError,
  isStateUnavailableError,
} from './store';
export type { SessionState } from './session-state';
export { sessionState } from './session-state';
export type { MemoryStateStore, MemoryStoreOptions } from './memory';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, createMemoryStore } from './memory';
export type { RedisStateStore, RedisStoreOptions, StateStoreEvent } from './redis';
export { DEFAULT_NAMESPACE, createRedisStore } from './redis';

/** The logging the store needs; a pino logger fits. */
export interface StateLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Options of `createStateStore`, as read from configuration. */
export interface StateStoreOptions {
  /** Use Redis at this URL; unset or empty keeps state in this process's memory. */
  redisUrl?: string | undefined;
  ttlSeconds?: number;
  /** Bound on sessions kept by the memory backend. */
  maxEntries?: number;
  /** Bound on the bytes kept by the memory backend (Redis bounds its own memory). */
  maxBytes?: number;
  /** Bound on one session's encoded state, in either backend. */
  maxBytesPerSession?: number;
  /** Told of each memory entry evicted to make room. */
  onEvict?: (reason: 'entries' | 'bytes') => void;
  /** Redis key namespace. */
  namespace?: string;
  log?: StateLog;
}

/** Turns store events into log lines: one when Redis goes, one when it is back. */
function logEvents(log: StateLog): (event: StateStoreEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'down':
        log.warn(
          event.error === undefined
            ? { reason: event.reason }
            : { reason: event.reason, detail: event.error.message },
          'state store: redis down',
        );
        return;
      case 'up':
        if (event.recovered) {
          log.info({ downForMs: event.downForMs }, 'state store: redis back');
        } else {
          log.info({}, 'state store: redis connected');
        }
        return;
      case 'corrupt':
        log.warn({ sessionId: event.sessionId }, 'state store: corrupt entry read as empty');
        return;
    }
  };
}

/** Creates the server's state store from configuration. */
export function createStateStore(options: StateStoreOptions = {}): StateStore {
  const { redisUrl, ttlSeconds, maxEntries, maxBytes, maxBytesPerSession, namespace, log } =
    options;
  const perSession = maxBytesPerSession === undefined ? {} : { maxBytesPerSession };
  if (redisUrl !== undefined && redisUrl !== '') {
    return createRedisStore({
      url: redisUrl,
      ...perSession,
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      ...(namespace === undefined ? {} : { namespace }),
      ...(log === undefined ? {} : { onEvent: logEvents(log) }),
    });
  }
  return createMemoryStore({
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    ...(maxEntries === undefined ? {} : { maxEntries }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...perSession,
    ...(options.onEvict === undefined ? {} : { onEvict: options.onEvict }),
  });
}
