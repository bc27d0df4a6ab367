/** Bounds on what an app may answer: Tropo needs small documents, and checking a huge one must not stall the server. */

/** The largest document sent to Tropo, in bytes of serialised JSON. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** The most values (objects, arrays, strings, numbers…) an app's answer may hold before it is validated. */
export const MAX_DOCUMENT_VALUES = 10_000;
/** The deepest nesting an app's answer may have; real documents are a handful of levels deep. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * Says why an app's answer is too big to validate, or undefined when it fits. It stops as soon as a
 * bound is passed, so its cost is bounded whatever the app returned (a million verbs, a 50 MB
 * string, a cycle). A getter or proxy that throws makes it throw: the caller treats that as an
 * invalid document.
 */
export function oversized(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let values = 0;
  // UTF-16 units never outnumber UTF-8 bytes, so this undercounts the serialised size: a sound bound.
  let chars = 0;
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop() as { value: unknown; depth: number };
    values += 1;
    if (values > MAX_DOCUMENT_VALUES) return `more than ${MAX_DOCUMENT_VALUES} values`;
    if (typeof item === 'string') chars += item.length;
    if (chars > MAX_DOCUMENT_BYTES) return `more than ${MAX_DOCUMENT_BYTES} bytes`;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_DOCUMENT_DEPTH) return `nested deeper than ${MAX_DOCUMENT_DEPTH} levels`;
    if (Array.isArray(item)) {
      // A sparse array's holes count too: `new Array(1e9)` must not be walked.
      if (item.length > MAX_DOCUMENT_VALUES - values)
        return `more than ${MAX_DOCUMENT_VALUES} values`;
      for (let i = item.length - 1; i >= 0; i -= 1)
        stack.push({ value: item[i], depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(item);
    if (keys.length > MAX_DOCUMENT_VALUES - values)
      return `more than ${MAX_DOCUMENT_VALUES} values`;
    for (const key of keys) {
      chars += key.length;
      stack.push({ value: (item as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

/** Says why a serialised document is too large to send, or undefined when it fits. */
export function oversizedBody(body: string): string | undefined {
  // A UTF-8 byte count is at most 3 per UTF-16 unit: skip the exact count when it cannot matter.
  if (body.length * 3 <= MAX_DOCUMENT_BYTES) return undefined;
  const bytes = Buffer.byteLength(body, 'utf8');
  return bytes > MAX_DOCUMENT_BYTES ? `${bytes} bytes, over ${MAX_DOCUMENT_BYTES}` : undefined;
}
