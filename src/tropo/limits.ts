/**
 * Shape limits for inbound payloads, checked in one cheap walk before any schema work, so that a
 * request's cost follows what Tropo really sends and not how many items a hostile body can pack.
 */
import { describeValue, type Segment } from './issues';

/** How large the parts of an inbound payload may be. */
export interface PayloadLimits {
  /** Items in any one array (Tropo sends a handful of actions, headers, media). */
  maxArrayItems: number;
  /** Keys in any one object (parameters and headers included). */
  maxObjectKeys: number;
  /** Characters in any one string or key (an SMS is at most 1,600; a transcription can be long). */
  maxStringLength: number;
  /** Nesting depth of arrays and objects. */
  maxDepth: number;
}

/** The limits the parsers apply: each far above what Tropo sends, far below what hurts. */
export const PAYLOAD_LIMITS: Readonly<PayloadLimits> = Object.freeze({
  maxArrayItems: 256,
  maxObjectKeys: 256,
  maxStringLength: 64 * 1024,
  maxDepth: 32,
});

/**
 * Keys and values in a whole payload: what JSON.parse, the walk below and the readers each pay
 * for. Tropo's largest payloads (a SIP call with every header, a result of several actions) hold a
 * few hundred; 100 KB of one-character items would hold 50,000.
 */
export const MAX_PAYLOAD_VALUES = 4096;

/** Where a payload breaks a limit, and how. */
export interface LimitProblem {
  path: Segment[];
  message: string;
}

/**
 * The first place where `value` breaks `limits` (or holds more than `maxValues` keys and values),
 * or `undefined` when it keeps them. Recursion is safe here: the depth limit is checked before
 * each descent, so it never goes deeper than `maxDepth`; one path array is shared by the whole
 * walk and copied only for the problem found.
 */
export function payloadLimitProblem(
  value: unknown,
  limits: Readonly<PayloadLimits> = PAYLOAD_LIMITS,
  maxValues: number = MAX_PAYLOAD_VALUES,
): LimitProblem | undefined {
  const path: Segment[] = [];
  let problem: string | undefined;
  let values = 0;

  function walk(node: unknown): boolean {
    if (++values > maxValues) {
      problem = `more than ${maxValues} keys and values`;
      return false;
    }
    if (typeof node === 'string') {
      if (node.length <= limits.maxStringLength) return true;
      problem = `string of ${node.length} characters, over the ${limits.maxStringLength} accepted`;
      return false;
    }
    if (typeof node !== 'object' || node === null) return true;
    if (path.length >= limits.maxDepth) {
      problem = `nested deeper than ${limits.maxDepth} levels (${describeValue(node)})`;
      return false;
    }
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayItems) {
        problem = `array of ${node.length} items, over the ${limits.maxArrayItems} accepted`;
        return false;
      }
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        if (!walk(node[i])) return false;
        path.pop();
      }
      return true;
    }
    const keys = Object.keys(node);
    if (keys.length > limits.maxObjectKeys) {
      problem = `object of ${keys.length} keys, over the ${limits.maxObjectKeys} accepted`;
      return false;
    }
    for (const key of keys) {
      path.push(key);
      values += 1;
      if (key.length > limits.maxStringLength) {
        problem = `key of ${key.length} characters, over the ${limits.maxStringLength} accepted`;
        return false;
      }
      if (!walk((node as Record<string, unknown>)[key])) return false;
      path.pop();
    }
    return true;
  }

  return walk(value) ? undefined : { path: [...path], message: problem ?? 'over a payload limit' };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Space, tab, line feed, carriage return: JSON's whitespace. */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isStructural(code: number): boolean {
  return (
    code === COMMA ||
    code === COLON ||
    code === OPEN_ARRAY ||
    code === CLOSE_ARRAY ||
    code === OPEN_OBJECT ||
    code === CLOSE_OBJECT ||
    code === QUOTE
  );
}

/**
 * Where the string opened by the quote at `start` ends (its closing quote, or the end of the
 * text): its brackets and commas are text. indexOf does the searching, so a long string costs
 * little; a quote preceded by an odd run of backslashes is escaped.
 */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

/**
 * Why the JSON text `text` would break `limits` once parsed (nesting, items in one array or object,
 * keys and values in all), or `undefined`. One pass over the characters with no allocation, so it
 * costs a fraction of JSON.parse, which it exists to spare: parsing 100 KB of deep nesting or of
 * tiny items costs tens of times a normal session. It does not check that the text is JSON (the
 * parser does), only counts; on text that is not JSON its answer means nothing but it never throws.
 */
export function jsonTextLimitProblem(
  text: string,
  limits: Readonly<PayloadLimits> = PAYLOAD_LIMITS,
  maxValues: number = MAX_PAYLOAD_VALUES,
): string | undefined {
  const items = new Int32Array(limits.maxDepth + 1);
  const isObject = new Uint8Array(limits.maxDepth + 1);
  let depth = 0;
  let values = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (isJsonSpace(code) || code === COLON) continue;
    if (code === COMMA) {
      const count = (items[depth] ?? 0) + 1;
      items[depth] = count;
      const inObject = isObject[depth] === 1;
      const limit = inObject ? limits.maxObjectKeys : limits.maxArrayItems;
      if (count >= limit) {
        return inObject
          ? `an object of more than ${limit} keys`
          : `an array of more than ${limit} items`;
      }
      continue;
    }
    if (++values > maxValues) return `more than ${maxValues} keys and values`;
    if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (depth >= limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels`;
      depth += 1;
      items[depth] = 0;
      isObject[depth] = code === OPEN_OBJECT ? 1 : 0;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      // A closing bracket is no value: it only ends one.
      values -= 1;
      if (depth > 0) depth -= 1;
    } else if (code === QUOTE) {
      i = stringEnd(text, i);
    } else {
      // A number, true, false or null: one value up to the next separator.
      while (i + 1 < length) {
        const next = text.charCodeAt(i + 1);
        if (isStructural(next) || isJsonSpace(next)) break;
        i += 1;
      }
    }
  }
  return undefined;
}
