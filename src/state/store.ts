/** The conversation state contract: one JSON object per Tropo session, kept for a TTL, behind any backend. */

/** A JSON value that survives a round trip through `JSON.stringify`/`JSON.parse` unchanged. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: the state of one Tropo session. */
export type JsonObject = { [key: string]: JsonValue };

/** Whether a store can answer now, and why not when it cannot. */
export interface StoreHealth {
  ready: boolean;
  /** Short, secret-free reason when not ready (safe to show in `/readyz`). */
  reason?: string;
}

/** Keeps each Tropo session's state object; every entry expires after a TTL. */
export interface StateStore {
  /** Which backend answers: `memory` (one process) or `redis` (shared by every instance). */
  readonly backend: 'memory' | 'redis';
  /** Default TTL in seconds applied when `set` is given none. */
  readonly ttlSeconds: number;
  /** The session's state, or `undefined` when there is none (never set, deleted or expired). */
  get(sessionId: string): Promise<JsonObject | undefined>;
  /** Replaces the session's state and (re)starts its TTL. */
  set(sessionId: string, value: JsonObject, ttlSeconds?: number): Promise<void>;
  /** Forgets the session's state; forgetting an absent session is not an error. */
  delete(sessionId: string): Promise<void>;
  /** Readiness right now, without a round trip. */
  health(): StoreHealth;
  /** Releases timers and connections; later calls reject with StateUnavailableError. */
  close(): Promise<void>;
}

/** Stable code of StateUnavailableError, as listed in the server's error catalogue. */
export const STATE_UNAVAILABLE = 'STATE_UNAVAILABLE';

/** The backend could not answer (down, timed out, closed): the caller should answer its fallback. */
export class StateUnavailableError extends Error {
  readonly code = STATE_UNAVAILABLE;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'StateUnavailableError';
  }
}

/** True when `value` is a StateUnavailableError. */
export function isStateUnavailableError(value: unknown): value is StateUnavailableError {
  return value instanceof StateUnavailableError;
}

/** Default TTL: Tropo ends every session after 4 hours, so keep state a little longer than that. */
export const DEFAULT_TTL_SECONDS = 4 * 3600 + 600;

/** Throws a TypeError unless `sessionId` is a non-empty string. */
export function assertSessionId(sessionId: string): void {
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    throw new TypeError('state: session id must be a non-empty string');
  }
}

/** Throws a RangeError unless `ttlSeconds` is a positive whole number of seconds. */
export function assertTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`state: TTL must be a whole number of seconds ≥ 1, got ${ttlSeconds}`);
  }
}

/** True for a plain JSON object (not an array, not null, not a class instance). */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // Any realm's Object.prototype (its own prototype is null) counts, so objects built in a vm do too.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Default bound on one session's encoded state: 16 KB (a Tropo conversation keeps a few keys). */
export const DEFAULT_MAX_BYTES_PER_SESSION = 16 * 1024;

/** Stable code of StateTooLargeError. */
export const STATE_TOO_LARGE = 'STATE_TOO_LARGE';

/** A write would make one session's state larger than the configured bound; nothing was written. */
export class StateTooLargeError extends Error {
  readonly code = STATE_TOO_LARGE;

  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `state: this session's state would be ${bytes} bytes, over the ${maxBytes}-byte bound (STATE_MAX_BYTES_PER_SESSION); nothing was written`,
    );
    this.name = 'StateTooLargeError';
  }
}

/** Throws a RangeError unless `bytes` is a whole number ≥ 1. */
export function assertByteBound(name: string, bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new RangeError(`state: ${name} must be a whole number of bytes ≥ 1, got ${bytes}`);
  }
}

/**
 * Encodes a session's state for storage. Both backends store this text, so values behave the same
 * everywhere: callers never share references with the store, and what JSON cannot hold is refused
 * here, as is a state over `maxBytes` (UTF-8 bytes of the JSON text).
 */
export function encodeState(value: JsonObject, maxBytes = DEFAULT_MAX_BYTES_PER_SESSION): string {
  if (!isJsonObject(value))
    throw new TypeError('state: a session state must be a plain JSON object');
  const text = JSON.stringify(value);
  // A JS string's length bounds its UTF-8 size from below (×3 from above): measure only near the bound.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) throw new StateTooLargeError(bytes, maxBytes);
  }
  return text;
}

/** Decodes stored text; `undefined` when it is not JSON or not an object (a corrupt entry). */
export function decodeState(text: string): JsonObject | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isJsonObject(parsed) ? parsed : undefined;
}
