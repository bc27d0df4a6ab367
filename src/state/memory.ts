/** The in-memory state store: the default for one process, bounded in entries and bytes, expired entries swept. */
import { toError } from '../lib';
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

/** Options of the memory store; the clock is injectable so tests need no real waiting. */
export interface MemoryStoreOptions {
  ttlSeconds?: number;
  /** Most sessions kept; writing one more evicts the least recently written. Default 100 000. */
  maxEntries?: number;
  /** Most bytes (session ids plus encoded states) kept; writing past it evicts the least recently written. Default 64 MB. */
  maxBytes?: number;
  /** Largest encoded state of one session; a larger write rejects with StateTooLargeError. Default 16 KB. */
  maxBytesPerSession?: number;
  /** Told of each entry evicted to make room (not of expiries): the server counts them in a metric. */
  onEvict?: (reason: 'entries' | 'bytes') => void;
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
  /** Bytes held now (session ids plus encoded states), as counted against `maxBytes`. */
  bytes(): number;
  /** Removes expired entries now and returns how many went. */
  sweep(): number;
}

/** Default bound on sessions kept in memory. */
export const DEFAULT_MAX_ENTRIES = 100_000;

/** Default bound on the bytes kept in memory: 64 MB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  text: string;
  /** What this entry counts against `maxBytes`. */
  bytes: number;
  expiresAt: number;
}

/** UTF-8 size of an entry: its key and its text (the bound is on what requests make us keep). */
const entryBytes = (sessionId: string, text: string) =>
  Buffer.byteLength(sessionId, 'utf8') + Buffer.byteLength(text, 'utf8');

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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  assertByteBound('maxBytes', maxBytes);
  const maxBytesPerSession = options.maxBytesPerSession ?? DEFAULT_MAX_BYTES_PER_SESSION;
  assertByteBound('maxBytesPerSession', maxBytesPerSession);
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  const onEvict = options.onEvict;

  // A Map iterates in insertion order; re-inserting on every write makes its first key the least
  // recently written, which is the one to evict.
  const entries = new Map<string, Entry>();
  let heldBytes = 0;
  let closed = false;

  function remove(sessionId: string): void {
    const entry = entries.get(sessionId);
    if (entry === undefined) return;
    entries.delete(sessionId);
    heldBytes -= entry.bytes;
  }

  /** Evicts the least recently written entry; false when there is none. */
  function evictOldest(reason: 'entries' | 'bytes'): boolean {
    const oldest = entries.keys().next();
    if (oldest.done === true) return false;
    remove(oldest.value);
    try {
      onEvict?.(reason);
    } catch {
      // A metric that throws must not fail the write that made room.
    }
    return true;
  }

  function sweep(): number {
    const at = now();
    let removed = 0;
    for (const [sessionId, entry] of entries) {
      if (entry.expiresAt <= at) {
        remove(sessionId);
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
          remove(sessionId);
          return undefined;
        }
        return decodeState(entry.text);
      }),
    set: (sessionId, value, ttl = ttlSeconds) =>
      settle(() => {
        ensureOpen();
        assertSessionId(sessionId);
        assertTtl(ttl);
        const text = encodeState(value, maxBytesPerSession);
        const bytes = entryBytes(sessionId, text);
        remove(sessionId);
        // Evicting the least recently written entry costs O(1); expired ones are the sweep's job.
        while (entries.size >= maxEntries && evictOldest('entries'));
        while (heldBytes + bytes > maxBytes && evictOldest('bytes'));
        entries.set(sessionId, { text, bytes, expiresAt: now() + ttl * 1000 });
        heldBytes += bytes;
      }),
    delete: (sessionId) =>
      settle(() => {
        ensureOpen();
        assertSessionId(sessionId);
        remove(sessionId);
      }),
    health(): StoreHealth {
      return closed ? { ready: false, reason: 'state store closed' } : { ready: true };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      entries.clear();
      heldBytes = 0;
      return Promise.resolve();
    },
    size: () => entries.size,
    bytes: () => heldBytes,
    sweep,
  };
}
