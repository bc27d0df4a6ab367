/** One launch attempt as the queues carry it: its job data and ids, the launcher and observer it meets, and what a failed launch means (failed or unknown). */
import {
  isSessionApiError,
  type SessionCreated,
  SessionApiNetworkError,
  SessionApiTimeoutError,
  SessionApiResponseError,
} from '../session-api';

/** One attempt of one reminder: the data of both kinds of job. */
export interface AttemptJob {
  c: string;
  r: string;
  a: number;
}

/** Starts one session through the Session API (the app's token is the caller's business). */
export type Launcher = (app: string, parameters: Record<string, string>) => Promise<SessionCreated>;

/** What a launch came to, for metrics: launched, failed (refused), unknown (maybe sent), skipped. */
export type LaunchResult = 'launched' | 'failed' | 'unknown' | 'skipped';

/** Hooks for metrics. */
export interface DispatchObserver {
  launch(app: string, result: LaunchResult): void;
}

/** The job id of an attempt: BullMQ refuses `:`, and the fixed-length campaign id keeps it unique. */
export function launchJobId(c: string, r: string, a: number): string {
  return `l-${c}-${r}-${a}`;
}

/** The job id of an attempt's outcome deadline. */
export function timeoutJobId(c: string, r: string, a: number): string {
  return `t-${c}-${r}-${a}`;
}

/** Whether a failed launch may have reached Tropo (unknown) or certainly did not (failed). */
export function launchFailure(err: unknown): 'failed' | 'unknown' {
  // No answer in time, or a 2xx nobody understands: Tropo may be dialling.
  if (err instanceof SessionApiTimeoutError || err instanceof SessionApiResponseError)
    return 'unknown';
  if (err instanceof SessionApiNetworkError) {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    // Refused or unresolvable: nothing was sent. A reset mid-request may have been heard.
    return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'failed'
      : 'unknown';
  }
  // Tropo answered no (or an HTTP error): nothing launched.
  return isSessionApiError(err) ? 'failed' : 'unknown';
}
