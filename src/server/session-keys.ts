/**
 * Per-session secret keys, kept inside each session's stored state: a start claims its session
 * (first start wins) and gets the key its continuation URLs are signed with; a continuation reads
 * it back to check its signature. Used only with WEBHOOK_SECRET (see runtime/app.ts).
 */
import { SESSION_KEY_FIELD, type StateStore } from '../state';
import { newSessionKey } from './webhook-auth';

/** The per-session keys of one state store. */
export interface SessionKeys {
  /**
   * Creates the session's state holding a fresh key, unless the session already has state: the
   * key, or `undefined` when the session is live (its state and key are left untouched).
   */
  claim(sessionId: string): Promise<string | undefined>;
  /** The key of a live session, or `undefined` (never started here, ended, or expired). */
  keyOf(sessionId: string): Promise<string | undefined>;
  /** Forgets an ended session: its state and its key. */
  forget(sessionId: string): Promise<void>;
}

/** Session keys over `store`: one round trip each (Redis `SET NX`, `GET`, `DEL`). */
export function sessionKeys(store: Pick<StateStore, 'claim' | 'get' | 'delete'>): SessionKeys {
  return {
    async claim(sessionId) {
      const key = newSessionKey();
      return (await store.claim(sessionId, { [SESSION_KEY_FIELD]: key })) ? key : undefined;
    },
    async keyOf(sessionId) {
      const key = (await store.get(sessionId))?.[SESSION_KEY_FIELD];
      return typeof key === 'string' && key.length > 0 ? key : undefined;
    },
    forget: (sessionId) => store.delete(sessionId),
  };
}
