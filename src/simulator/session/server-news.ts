/** What the server hosting the app did during an exchange (`--app`), copied into the transcript: the outcomes the app reported to its campaign, then the server's log lines at warn and above. */
import type { Actor, LineLevel, TranscriptRecorder, TranscriptReport } from '../transcript';
import { roundSeconds } from '../transcript';
import type { EngineOptions } from './options';

/** What the news is written into: the session's clock and transcript. */
interface Session {
  readonly t: number;
  readonly recorder: TranscriptRecorder;
  line(actor: Actor, text: string, level: LineLevel, exchange?: number): void;
}

/** The app server's news for one session. */
export class ServerNews {
  /** What the app reported to the campaign that launched it; undefined unless launched like one. */
  readonly reported: TranscriptReport[] | undefined;

  constructor(private readonly options: Pick<EngineOptions, 'appLogs' | 'appOutcomes'>) {
    this.reported = options.appOutcomes ? [] : undefined;
  }

  /**
   * Copies the news of `exchange` into the transcript; returns the error ids (or messages) of
   * the lines logged at error and above, which fail the session.
   */
  take(session: Session, exchange: number): string[] {
    for (const { outcome, recorded } of this.options.appOutcomes?.() ?? []) {
      // A campaign keeps an attempt's first outcome: a later report changes nothing, a likely bug.
      const text = recorded
        ? `The app reports outcome: ${outcome}`
        : `Warning: the app reports outcome: ${outcome} too, which a campaign ignores (it keeps the first)`;
      const line = session.recorder.lines.length;
      this.reported?.push({ at: roundSeconds(session.t), outcome, recorded, line });
      session.line('app', text, recorded ? 'info' : 'warning', exchange);
    }
    const errors: string[] = [];
    for (const entry of this.options.appLogs?.() ?? []) {
      const id = entry.errorId === undefined ? '' : ` [error id ${entry.errorId}]`;
      const why = entry.error === undefined ? '' : `: ${entry.error}`;
      const failing = entry.level !== 'warn';
      session.line(
        'app',
        `Server log (${entry.level}): ${entry.msg}${why}${id}`,
        failing ? 'error' : 'warning',
        exchange,
      );
      if (failing)
        errors.push(entry.errorId === undefined ? entry.msg : `error id ${entry.errorId}`);
    }
    return errors;
  }
}
