/** The per-session view apps get as `ctx.state`: key/value access over one session's state object. */
import type { JsonObject, JsonValue, StateStore } from './store';

/** Key/value state of one Tropo session; every call may reject with StateUnavailableError. */
export interface SessionState {
  /**
   * The value under `key`, or `undefined`. `T` is the caller's claim about what it stored earlier;
   * it is not checked, so validate values whose shape matters (for example with zod).
   */
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key`, keeping the other keys. */
  set(key: string, value: JsonValue): Promise<void>;
  /** Deletes one key, or the whole session's state when no key is given. */
  delete(key?: string): Promise<void>;
  /** The whole state object (`{}` when there is none). */
  all(): Promise<JsonObject>;
}

/**
 * The field of a session's stored state that holds the server's secret key for the session (the
 * one continuation signatures bind, WEBHOOK_SECRET set). Views hide it from apps and keep it.
 */
export const SESSION_KEY_FIELD = 'tropo-app:session-key';

/** The state object without the server's own field, as apps see it. */
function visible(value: JsonObject): JsonObject {
  if (!Object.hasOwn(value, SESSION_KEY_FIELD)) return value;
  const rest: JsonObject = { ...value };
  delete rest[SESSION_KEY_FIELD];
  return rest;
}

/**
 * Builds the view of `sessionId`'s state in `store`, with an optional TTL for its writes. With
 * `keyed`, sessions may hold a key (SESSION_KEY_FIELD): deleting the whole state keeps it, so the
 * session's continuations still verify; the server itself forgets an ended session with `store.delete`.
 */
export function sessionState(
  store: StateStore,
  sessionId: string,
  options: { ttlSeconds?: number; keyed?: boolean } = {},
): SessionState {
  // No check here: building the view must never throw while a request's context is assembled; a bad
  // id makes each call reject instead (the store checks it), and the app's failure path handles that.
  const write = (value: JsonObject) =>
    options.ttlSeconds === undefined
      ? store.set(sessionId, value)
      : store.set(sessionId, value, options.ttlSeconds);

  // Each write reads the object, changes one key and writes it back; running the view's calls one
  // at a time keeps `Promise.all([set('a', 1), set('b', 2)])` from losing a key.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  }

  return {
    get<T extends JsonValue = JsonValue>(key: string) {
      return serially(async () => {
        const current = await store.get(sessionId);
        // hasOwn: a missing key must not find Object.prototype members such as "constructor".
        if (current === undefined || key === SESSION_KEY_FIELD || !Object.hasOwn(current, key))
          return undefined;
        // The cast is the documented contract of `get<T>`: the caller names what it stored.
        return current[key] as T;
      });
    },
    set(key, value) {
      return serially(async () => {
        if (key === SESSION_KEY_FIELD) {
          throw new TypeError(`state: the key "${SESSION_KEY_FIELD}" is reserved for the server`);
        }
        const current = (await store.get(sessionId)) ?? {};
        // A computed key in a literal defines an own property, even for "__proto__".
        await write({ ...current, [key]: value });
      });
    },
    delete(key) {
      return serially(async () => {
        if (key === undefined && options.keyed !== true) return store.delete(sessionId);
        const current = await store.get(sessionId);
        if (key === undefined) {
          const sessionKey = current?.[SESSION_KEY_FIELD];
          if (sessionKey === undefined) return store.delete(sessionId);
          return write({ [SESSION_KEY_FIELD]: sessionKey });
        }
        if (current === undefined || key === SESSION_KEY_FIELD || !Object.hasOwn(current, key))
          return undefined;
        const rest: JsonObject = { ...current };
        delete rest[key];
        return Object.keys(rest).length === 0 ? store.delete(sessionId) : write(rest);
      });
    },
    all() {
      return serially(async () => {
        const current = await store.get(sessionId);
        return current === undefined ? {} : visible(current);
      });
    },
  };
}
