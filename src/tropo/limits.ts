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

/** Where a payload breaks a limit, and how. */
export interface LimitProblem {
  path: Segment[];
  message: string;
}

/**
 * The first place where `value` breaks `limits`, or `undefined` when it keeps them. Recursion is
 * safe here: the depth limit is checked before each descent, so it never goes deeper than
 * `maxDepth`; one path array is shared by the whole walk and copied only for the problem found.
 */
export function payloadLimitProblem(
  value: unknown,
  limits: Readonly<PayloadLimits> = PAYLOAD_LIMITS,
): LimitProblem | undefined {
  const path: Segment[] = [];
  let problem: string | undefined;

  function walk(node: unknown): boolean {
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
