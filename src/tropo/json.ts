/** Small helpers for handling untrusted JSON values without tripping over `__proto__` keys or deep nesting. */

/** A JSON object: anything object-like that is not null and not an array. */
export type JsonObject = Record<string, unknown>;

/** True for objects that are not arrays or null (what JSON calls an object). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `key` is the object's own property (inherited names like `constructor` do not count). */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Sets an own data property, so that a key named `__proto__` stays data instead of changing the prototype. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * Copies the own keys of `source` but `keys` onto `target`, in their order (setOwn, so `__proto__`
 * stays data), and returns `target`: what `{ ...target, ...rest }` after `{ a, ...rest } = source`
 * gives. The builders and schema transforms run on every request, and V8 runs both an object rest
 * with excluded keys and a spread into a literal with more keys in its runtime (~3–5 µs a call,
 * against ~0.3 µs for this loop): they made on() the costliest step of an app's start.
 */
export function copyWithout<T extends object, K extends keyof T & string>(
  target: JsonObject,
  source: T,
  keys: readonly K[],
): JsonObject {
  for (const key of Object.keys(source)) {
    if (!(keys as readonly string[]).includes(key))
      setOwn(target, key, (source as JsonObject)[key]);
  }
  return target;
}

/** A shallow copy of `object` without `keys`, in the same key order (see `copyWithout`). */
export function omit<T extends object, K extends keyof T & string>(
  object: T,
  keys: readonly K[],
): Omit<T, K> {
  return copyWithout({}, object, keys) as Omit<T, K>;
}

/** Copies plain objects and arrays, leaving out properties whose value is `undefined`. */
export function compact<T>(value: T): T {
  return compactValue(value) as T;
}

function compactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactValue);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) setOwn(out, key, compactValue(item));
  }
  return out;
}

/**
 * Returns a copy of `root` without the property at each path (copying only the containers on the
 * way), so that a payload can be re-read after its unknown keys were reported.
 */
export function withoutPaths(
  root: unknown,
  paths: readonly (readonly (string | number)[])[],
): unknown {
  let result = root;
  for (const path of paths) result = without(result, path, 0);
  return result;
}

function without(node: unknown, path: readonly (string | number)[], depth: number): unknown {
  const key = path[depth];
  if (key === undefined) return node;
  const last = depth === path.length - 1;
  if (Array.isArray(node) && typeof key === 'number') {
    if (key < 0 || key >= node.length) return node;
    const copy = node.slice();
    copy[key] = without(node[key], path, depth + 1);
    return copy;
  }
  if (!isObject(node) || typeof key !== 'string' || !hasOwn(node, key)) return node;
  const copy: JsonObject = {};
  for (const name of Object.keys(node)) {
    if (name === key) {
      if (!last) setOwn(copy, name, without(node[name], path, depth + 1));
    } else {
      setOwn(copy, name, node[name]);
    }
  }
  return copy;
}
