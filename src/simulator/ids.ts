/** Randomness and time for the simulator, injectable so that every generated session and result can be reproduced in tests. */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';

/** Returns `size` random bytes; the default is `crypto.randomBytes`. */
export type RandomBytes = (size: number) => Uint8Array;

/** Returns the current time in milliseconds since the epoch; the default is `Date.now`. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();

/** Cryptographically random bytes, used unless a test injects its own source. */
export const systemRandomBytes: RandomBytes = (size) => cryptoRandomBytes(size);

/** Lower-case hex string of exactly `length` characters drawn from `random`. */
export function randomHex(length: number, random: RandomBytes = systemRandomBytes): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`randomHex: length must be a whole number >= 0, got ${length}`);
  }
  const bytes = random(Math.ceil(length / 2));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  if (hex.length < length) {
    throw new RangeError(
      `randomHex: the random source returned too few bytes for ${length} hex digits`,
    );
  }
  return hex.slice(0, length);
}

/** A 32-hex-digit id, the shape Tropo uses for session and call ids (§6.1). */
export function newTropoId(random: RandomBytes = systemRandomBytes): string {
  return randomHex(32, random);
}

/** True for a 32-character lower-case hex id such as Tropo's session and call ids. */
export function isTropoId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

/** A numeric string of `length` digits without a leading zero, for account and application ids. */
export function randomDigits(length: number, random: RandomBytes = systemRandomBytes): string {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`randomDigits: length must be a whole number >= 1, got ${length}`);
  }
  const bytes = random(length);
  if (bytes.length < length) {
    throw new RangeError(
      `randomDigits: the random source returned too few bytes for ${length} digits`,
    );
  }
  let digits = '';
  for (let i = 0; i < length; i += 1) {
    const byte = bytes[i] ?? 0;
    // The first digit is 1–9 so the id never looks zero-padded.
    digits += i === 0 ? String(1 + (byte % 9)) : String(byte % 10);
  }
  return digits;
}

/**
 * A deterministic byte source (mulberry32) for reproducible simulations and tests; never use it
 * where unpredictability matters.
 */
export function seededRandomBytes(seed: number): RandomBytes {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (size) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += 4) {
      const word = nextUint32();
      for (let j = 0; j < 4 && i + j < size; j += 1) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };
}

/** A clock that starts at `startMs` and only moves when the test calls `advance`. */
export function manualClock(startMs: number): Clock & {
  advance: (ms: number) => void;
  set: (ms: number) => void;
} {
  let now = startMs;
  const clock = (() => now) as Clock & { advance: (ms: number) => void; set: (ms: number) => void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

/** ISO-8601 UTC timestamp with milliseconds, the format of `session.timestamp` (§6.1). */
export function isoTimestamp(clock: Clock = systemClock): string {
  return new Date(clock()).toISOString();
}
