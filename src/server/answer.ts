/** What the pipeline hands back to the HTTP layer, and the error answers it gives before any app runs. */
import { errorBody, type ErrorCode, type ErrorIssue } from './errors';
import type { Issue } from '../tropo';

/** What the HTTP layer sends back, plus what it logs about the request. */
export interface TropoAnswer {
  status: number;
  /** JSON text: a WebAPI document, or an error body. */
  body: string;
  app?: string;
  sessionId?: string;
  /** Set when the answer is a fallback document or an error. */
  code?: ErrorCode;
  /** Correlates the answer with its error log line. */
  errorId?: string;
}

/** An error answer with the catalogue's body for `code`. */
export function errorAnswer(
  code: ErrorCode,
  status: number,
  issues: readonly ErrorIssue[] = [],
): TropoAnswer {
  return { status, body: errorBody(code, issues), code };
}

/** The errors among validation issues, as the error body lists them. */
export function issuesOf(issues: readonly Issue[]): ErrorIssue[] {
  return issues
    .filter((i) => i.severity === 'error')
    .map(({ path, message }) => ({ path, message }));
}
