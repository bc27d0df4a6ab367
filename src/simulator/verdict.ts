/** Whether a session passed, and the one sentence that says why not: what `simulate` and `test` exit on. */
import type { Transcript } from './transcript';

/** What to count as a failure beyond the app failing and limits. */
export interface VerdictOptions {
  /** Warnings fail the session too (`--strict`). */
  strict?: boolean | undefined;
}

/** A session's verdict. */
export interface Verdict {
  ok: boolean;
  /** Why it failed (empty when it passed). */
  reason: string;
  /** Warning lines in the transcript. */
  warnings: number;
}

/** Warning lines of a transcript (validation warnings, content-type, server warn logs…). */
export function warningCount(transcript: Transcript): number {
  return transcript.lines.filter((line) => line.level === 'warning').length;
}

/** Judges a finished transcript: the app failed, a limit stopped it, or (strict) it warned. */
export function verdictOf(transcript: Transcript, options: VerdictOptions = {}): Verdict {
  const warnings = warningCount(transcript);
  const outcome = transcript.outcome;
  if (outcome === null) return { ok: false, reason: 'the session is still running', warnings };
  if (outcome.status === 'limit-reached') {
    return { ok: false, reason: `a limit stopped the session: ${outcome.reason}`, warnings };
  }
  if (outcome.status === 'app-failed') return { ok: false, reason: outcome.reason, warnings };
  if (options.strict && warnings > 0) {
    return {
      ok: false,
      reason: `${warnings} warning${warnings === 1 ? '' : 's'} (--strict fails on warnings)`,
      warnings,
    };
  }
  return { ok: true, reason: '', warnings };
}
