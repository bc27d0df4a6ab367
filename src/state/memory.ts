/** The in-memory state store: the default for one process, bounded in entries, expired entries swept. */
// A leaf module (no imports of its own): the one safe conversion of a thrown value, shared with the server.
import { toError } from '../server/loggable-error';
import type { StateStore, StoreHealth } from './store';
import {
  DEFAULT_TTL_SECONDS,
  StateUnavailableError,
  assertSessionId,
  assertTtl,
  decodeState,
  encodeState,
} from './store';

/** Options of the memory store; the clock is injectable so tests need no real waiting. */
export interface MemoryStoreOptions {
  ttlSeconds?: number;
  /** Most sessions kept; writing one more evicts the least recently written. Default 100 000. */
  maxEntries?: number;
  /** How often expired entries are swept, in milliseconds; 0 turns the timer off. Default 60 s. */
  sweepIntervalMs?: number;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

/** The memory store, plus what tests and metrics may inspect. */
export interface MemoryStateStore extends StateStore {
  readonly backend: 'memory';
  /** Entries held now, expired ones not yet swept included. */
  size(): number;
  /** Removes expired entries now and returns how many went. */
  sweep(): number;
}

/** Default bound on sessions kept in memory. */
export const DEFAULT_MAX_ENTRIES = 100_000;

interface Entry {
  text: string;
  expiresAt: number;
}

/** Runs `operation` now and settles a promise with its result, so a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (err) {
    return Promise.reject(toError(err));
  }
}

/** Creates a memory store; its sweep timer never keeps the process alive. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStateStore {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  assertTtl(ttlSeconds);
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`state: maxEntries must be a whole number ≥ 1, got ${maxEntries}`);
  }
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;

  // A Map iterates in insertion order; re-inserting on every write makes its first key the least
  // recently written, which is the one to evict.
  const entries = new Map<string, Entry>();
  let closed = false;

  function sweep(): number {
    const at = now();
    let removed = 0;
    for (const [sessionId, entry] of entries) {
      if (entry.expiresAt <= at) {
        entries.delete(sessionId);
        removed += 1;
      }
    }
    return removed;
  }

  let timer: NodeJS.Timeout | undefined;
  if (sweepIntervalMs > 0) {
    timer = setInterval(sweep, sweepIntervalMs);
    timer.unref();
  }

  function ensureOpen(): void {
    if (closed) throw new StateUnavailableError('state store is closed');
  }

  return {
    backend: 'memory',
    ttlSeconds,
    get: (sessionId) =>
      settle(() => {
        ensureOpen();
        assertSessionId(sessionId);
        const entry = entries.get(sessionId);
        if (entry === undefined) return undefined;
        if (entry.expiresAt <= now()) {
          entries.delete(sessionId);
          return undefined;
        }
        return decodeState(entry.text);
      }),
    set: (sessionId, value, ttl = ttlSeconds) =>
      settle(() => {
        ensureOpen();
        assertSessionId(sessionId);
        assertTtl(ttl);
        const text = encodeState(value);
        entries.delete(sessionId);
        // Evicting the least recently written entry costs O(1); expired ones are the sweep's job.
        while (entries.size >= maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done === true) break;
          entries.delete(oldest.value);
        }
        entries.set(sessionId, { text, expiresAt: now() + ttl * 1000 });
      }),
    delete: (sessionId) =>
      settle(() => {
        ensureOpen();
        assertSessionId(sessionId);
        entries.delete(sessionId);
      }),
    health(): StoreHealth {
      return closed ? { ready: false, reason: 'state store closed' } : { ready: true };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      entries.clear();
      return Promise.resolve();
    },
    size: () => entries.size,
    sweep,
  };
}
