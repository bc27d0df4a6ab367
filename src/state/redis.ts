/** The Redis state store: state shared by every instance, failing fast while Redis is away and recovering by itself. */
import type { Redis as RedisClient } from 'ioredis';
import { describeNetworkError, networkErrorParts } from '../lib';
import type { StateStore, StoreHealth } from './store';
import {
  DEFAULT_MAX_BYTES_PER_SESSION,
  DEFAULT_TTL_SECONDS,
  StateUnavailableError,
  assertByteBound,
  assertSessionId,
  assertTtl,
  decodeState,
  encodeState,
} from './store';

/** What the Redis store reports: once per outage and recovery, and each corrupt entry read. */
export type StateStoreEvent =
  | { type: 'down'; reason: string; error?: Error }
  | { type: 'up'; recovered: boolean; downForMs?: number }
  | { type: 'corrupt'; sessionId: string };

/** Options of the Redis store. The URL may carry a password: it is never logged or reported. */
export interface RedisStoreOptions {
  url: string;
  ttlSeconds?: number;
  /** Largest encoded state of one session; a larger write rejects with StateTooLargeError. Default 16 KB. */
  maxBytesPerSession?: number;
  /** Key prefix before `:<sessionId>`. Default `tropo-app:state`. */
  namespace?: string;
  /** Longest wait for one command before it fails with StateUnavailableError. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Longest wait for a connection attempt. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Ceiling of the reconnect backoff; reconnecting never stops. Default 2000 ms. */
  reconnectMaxDelayMs?: number;
  /** Told of outages, recoveries and corrupt entries; errors it throws are ignored. */
  onEvent?: (event: StateStoreEvent) => void;
  /** Milliseconds since the epoch, for outage durations; defaults to `Date.now`. */
  now?: () => number;
}

/** The Redis store, plus the key naming tests and tools need. */
export interface RedisStateStore extends StateStore {
  readonly backend: 'redis';
  /** The Redis key holding `sessionId`'s state. */
  keyFor(sessionId: string): string;
}

/** Default key namespace. */
export const DEFAULT_NAMESPACE = 'tropo-app:state';

/** A short, secret-free account of a connection error, fit for `/readyz`: the system code alone when there is one. */
function describe(err: unknown): string {
  const { code } = networkErrorParts(err);
  return code ?? describeNetworkError(err).slice(0, 200);
}

/** Creates a Redis store and starts connecting; it is not ready until the connection is. */
export function createRedisStore(options: RedisStoreOptions): RedisStateStore {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  assertTtl(ttlSeconds);
  const maxBytesPerSession = options.maxBytesPerSession ?? DEFAULT_MAX_BYTES_PER_SESSION;
  assertByteBound('maxBytesPerSession', maxBytesPerSession);
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (namespace.length === 0) throw new TypeError('state: the Redis namespace must not be empty');
  const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
  const reconnectMaxDelayMs = options.reconnectMaxDelayMs ?? 2000;
  const now = options.now ?? Date.now;

  // Loaded here, not at the top: a server without REDIS_URL never needs ioredis, and loading it
  // cost ~50 ms of every cold start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const { Redis } = require('ioredis') as { Redis: typeof RedisClient };
  const client = new Redis(options.url, {
    // Fail fast while disconnected: a Tropo request waits on us, so queuing until Redis returns
    // would only turn an outage into dead air. The server answers its fallback document instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // ioredis arms this timer on every disconnect, even of a socket already gone (Redis down), and
    // it holds the process open; its 2 s default would delay every shutdown during an outage.
    disconnectTimeout: 200,
    // Never give up: the store must recover by itself whenever Redis comes back.
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), reconnectMaxDelayMs),
  });

  let status: 'connecting' | 'up' | 'down' | 'closed' = 'connecting';
  let reason = 'redis connecting';
  let downSince: number | undefined;

  function report(event: StateStoreEvent): void {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing log sink runs inside ioredis's event emitter, where a throw would crash the
      // process; losing one log line is the lesser harm.
    }
  }

  function goDown(why: string, error?: Error): void {
    reason = `redis unavailable: ${why}`;
    if (status === 'down' || status === 'closed') return;
    status = 'down';
    downSince = now();
    report(
      error === undefined ? { type: 'down', reason: why } : { type: 'down', reason: why, error },
    );
  }

  // This listener is what keeps connection errors from ever being unhandled; they only update the
  // reason, and open an outage when no connection was up (the first attempt failed).
  client.on('error', (err: Error) => {
    if (status === 'closed') return;
    if (status === 'up') return; // a lost connection is reported by 'close', just after
    goDown(describe(err), err);
  });
  client.on('close', () => {
    if (status === 'up') goDown('connection closed');
  });
  client.on('ready', () => {
    if (status === 'closed' || status === 'up') return;
    const recovered = downSince !== undefined;
    const event: StateStoreEvent = recovered
      ? { type: 'up', recovered, downForMs: now() - (downSince ?? now()) }
      : { type: 'up', recovered };
    status = 'up';
    downSince = undefined;
    reason = '';
    report(event);
  });

  const keyFor = (sessionId: string): string => {
    assertSessionId(sessionId);
    return `${namespace}:${sessionId}`;
  };

  async function run<T>(what: string, command: () => Promise<T>): Promise<T> {
    if (status === 'closed') throw new StateUnavailableError('state store is closed');
    try {
      return await command();
    } catch (err) {
      throw new StateUnavailableError(`redis ${what} failed: ${describe(err)}`, { cause: err });
    }
  }

  return {
    backend: 'redis',
    ttlSeconds,
    keyFor,
    async get(sessionId) {
      const key = keyFor(sessionId);
      const text = await run('GET', () => client.get(key));
      if (text === null) return undefined;
      const value = decodeState(text);
      // Whatever wrote a non-object there, this session's state is gone; the next set replaces it.
      if (value === undefined) report({ type: 'corrupt', sessionId });
      return value;
    },
    async set(sessionId, value, ttl = ttlSeconds) {
      const key = keyFor(sessionId);
      assertTtl(ttl);
      const text = encodeState(value, maxBytesPerSession);
      await run('SET', () => client.set(key, text, 'EX', ttl));
    },
    async delete(sessionId) {
      const key = keyFor(sessionId);
      await run('DEL', () => client.del(key));
    },
    health(): StoreHealth {
      if (status === 'up') return { ready: true };
      return { ready: false, reason: status === 'closed' ? 'state store closed' : reason };
    },
    async close() {
      if (status === 'closed') return;
      const wasUp = status === 'up';
      status = 'closed';
      if (wasUp) {
        // QUIT lets Redis finish what it has; bounded, since a hung Redis would never answer.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, commandTimeoutMs);
        });
        await Promise.race([client.quit().catch(() => undefined), deadline]);
        clearTimeout(timer);
      }
      client.disconnect();
    },
  };
}
