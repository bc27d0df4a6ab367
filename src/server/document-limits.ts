/**
 * Bounds on what an app may answer (Tropo needs small documents, and checking a huge one must not
 * stall the server), and the bounded plain copy of an answer that is all validation ever reads.
 */
import { setOwn } from '../tropo/json';

/** The largest document sent to Tropo, in bytes of serialised JSON. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** The most values (objects, arrays, strings, numbers…) an app's answer may hold before it is validated. */
export const MAX_DOCUMENT_VALUES = 10_000;
/** The deepest nesting an app's answer may have; real documents are a handful of levels deep. */
export const MAX_DOCUMENT_DEPTH = 64;

/** What `plainCopy` makes of an app's answer: its data, or why it is too big to look at. */
export type PlainCopy = { ok: true; value: unknown } | { ok: false; tooLarge: string };

/** Thrown inside the copy to stop at the first bound passed; never leaves this module. */
class TooLarge extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const TOO_MANY = `more than ${MAX_DOCUMENT_VALUES} values`;
const TOO_LONG = `more than ${MAX_DOCUMENT_BYTES} bytes`;
const TOO_DEEP = `nested deeper than ${MAX_DOCUMENT_DEPTH} levels`;

/**
 * Copies an app's answer into plain data in one bounded pass, so that nothing the app handed over
 * runs after it: validation and serialisation read the copy only. Each property is read once (a
 * getter or Proxy trap runs once, here); only own enumerable string keys are kept and arrays are
 * read by index up to their length, so symbols, inherited properties and `toJSON` methods are never
 * seen; functions count as absent, as JSON has them. It stops as soon as a bound is passed, so its
 * cost is bounded whatever the app returned (a million verbs, a 50 MB string, a cycle). A getter
 * or trap that throws makes it throw: the caller treats that as the app's failure.
 */
export function plainCopy(value: unknown): PlainCopy {
  const budget = { values: 0, chars: 0 };
  try {
    return { ok: true, value: copy(value, 0, budget) };
  } catch (err) {
    if (err instanceof TooLarge) return { ok: false, tooLarge: err.reason };
    throw err;
  }
}

function copy(item: unknown, depth: number, budget: { values: number; chars: number }): unknown {
  budget.values += 1;
  if (budget.values > MAX_DOCUMENT_VALUES) throw new TooLarge(TOO_MANY);
  switch (typeof item) {
    case 'string':
      // UTF-16 units never outnumber UTF-8 bytes, so this undercounts the serialised size: a sound bound.
      budget.chars += item.length;
      if (budget.chars > MAX_DOCUMENT_BYTES) throw new TooLarge(TOO_LONG);
      return item;
    case 'object':
      break;
    case 'function':
      return undefined;
    default:
      // Numbers, booleans, undefined, and bigints and symbols for the validator to refuse.
      return item;
  }
  if (item === null) return null;
  if (depth >= MAX_DOCUMENT_DEPTH) throw new TooLarge(TOO_DEEP);
  if (Array.isArray(item)) {
    // Read once: a Proxy may answer anything for `length`.
    const length: unknown = item.length;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
      throw new TypeError('an array whose length is not a whole number');
    // A sparse array's holes count too: `new Array(1e9)` must not be walked.
    if (length > MAX_DOCUMENT_VALUES - budget.values) throw new TooLarge(TOO_MANY);
    const out: unknown[] = [];
    for (let i = 0; i < length; i += 1) out.push(copy(item[i], depth + 1, budget));
    return out;
  }
  const keys = Object.keys(item);
  if (keys.length > MAX_DOCUMENT_VALUES - budget.values) throw new TooLarge(TOO_MANY);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    budget.chars += key.length;
    if (budget.chars > MAX_DOCUMENT_BYTES) throw new TooLarge(TOO_LONG);
    const field = copy((item as Record<string, unknown>)[key], depth + 1, budget);
    if (field !== undefined) setOwn(out, key, field);
  }
  return out;
}

/**
 * Says why an app's answer is too big to validate, or undefined when it fits (the bounds of
 * `plainCopy`, for callers that only need the verdict). A getter or proxy that throws makes it throw.
 */
export function oversized(value: unknown): string | undefined {
  const copied = plainCopy(value);
  return copied.ok ? undefined : copied.tooLarge;
}

/** Says why a serialised document is too large to send, or undefined when it fits. */
export function oversizedBody(body: string): string | undefined {
  // A UTF-8 byte count is at most 3 per UTF-16 unit: skip the exact count when it cannot matter.
  if (body.length * 3 <= MAX_DOCUMENT_BYTES) return undefined;
  const bytes = Buffer.byteLength(body, 'utf8');
  return bytes > MAX_DOCUMENT_BYTES ? `${bytes} bytes, over ${MAX_DOCUMENT_BYTES}` : undefined;
}
