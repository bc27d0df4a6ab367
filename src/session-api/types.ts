/** The Session API client's public types: its options, requests, answers and progress events. */
import type { SessionApiErrorCode, SessionApiOperation } from './errors';

import type { FetchLike } from '../lib';

export type { FetchLike } from '../lib';

/** Tropo's production Session API base (DESIGN §6, `TROPO_API_URL`). */
export const DEFAULT_TROPO_API_URL = 'https://api.tropo.com/1.0';

/** A session parameter as a caller may give it; Tropo only ever sees strings (§8.1). */
export type SessionParameterValue = string | number | boolean;

/** What the client reports while it works; hand it to any logger. Never contains the token. */
export type SessionApiEvent =
  | {
      event: 'attempt';
      operation: SessionApiOperation;
      attempt: number;
      method: string;
      url: string;
    }
  | {
      event: 'retry';
      operation: SessionApiOperation;
      attempt: number;
      code: SessionApiErrorCode;
      message: string;
      delayMs: number;
    }
  | {
      event: 'success';
      operation: SessionApiOperation;
      attempt: number;
      durationMs: number;
      sessionId: string;
    }
  | {
      event: 'failure';
      operation: SessionApiOperation;
      attempts: number;
      code: SessionApiErrorCode;
      message: string;
    }
  | {
      event: 'dry-run';
      operation: SessionApiOperation;
      would: SessionApiOperation;
      method: string;
      url: string;
      parameters: Record<string, string>;
    };

export interface SessionApiClientOptions {
  /** Base URL up to the version, e.g. `https://api.tropo.com/1.0` (the default). */
  baseUrl?: string;
  /** Injected for tests; defaults to Node's global `fetch`. */
  fetch?: FetchLike;
  /** Per attempt, covering headers and body. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after a network error or a 5xx; default 2, at most 10. */
  retries?: number;
  /** First backoff; it doubles per retry up to `maxBackoffMs`, then jitter keeps 50–100 % of it. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Source of jitter in [0, 1); injected for deterministic tests. */
  random?: () => number;
  /** How to wait between attempts; injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Log what would be sent (token redacted) and send nothing. */
  dryRun?: boolean;
  /** Use the `GET …/sessions?action=create&token=…` form, for legacy accounts only: it puts the token in a URL. */
  legacyGet?: boolean;
  /** Receives progress events; errors it throws are ignored. */
  log?: (event: SessionApiEvent) => void;
}

export interface CreateSessionRequest {
  /** The application's voice or messaging token. */
  token: string;
  /** Becomes `session.parameters` in the session Tropo starts; values are sent as strings. */
  parameters?: Readonly<Record<string, SessionParameterValue>>;
}

export interface SessionCreated {
  /** The new session's id (= `session.id` of Tropo's first POST, the id to signal). */
  id: string;
  /** True when nothing was sent and `id` is a made-up `dry-run-…` id. */
  dryRun: boolean;
}

export interface SignalSent {
  /** Tropo's status, upper-cased: `QUEUED` on success, `DRY-RUN` when nothing was sent. */
  status: string;
  dryRun: boolean;
}

export interface SessionApiClient {
  /** Starts an outbound session; resolves to its id or rejects with a `SessionApiError`. */
  createSession(request: CreateSessionRequest): Promise<SessionCreated>;
  /** Queues a signal (e.g. `exit`) for a running session; rejects with a `SessionApiError`. */
  sendSignal(sessionId: string, signal: string): Promise<SignalSent>;
}
