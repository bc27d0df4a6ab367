/**
 * Runs one app function under the deadline, sorts its failures into error codes, and turns what it
 * answered into the body sent to Tropo (bounded, validated, serialised) — or a fallback.
 */
import type { Logger } from 'pino';
import { AppInputError, type AppContext } from '../sdk/define-app';
import type { TropoAnswer } from './answer';
import { issuesOf } from './answer';
import type { Config } from './config';
import { oversizedBody, plainCopy, type PlainCopy } from './document-limits';
import type { ErrorCode } from './errors';
import type { FallbackDetails, FallbackKind, Fallbacks } from './fallbacks';
import { toError } from './loggable-error';
import type { ModuleApp } from './registry';
import { answerEndsSession, shouldForgetState } from './session-end';
import type { StateTracking, TrackedState } from './tracked-state';
import { isStateUnavailableError } from '../state';
import {
  serialiseValidated,
  validateDocument,
  type Channel,
  type Result,
  type Validation,
  type Verb,
} from '../tropo';

/** The app function did not settle within APP_TIMEOUT_MS. */
export class AppTimeoutError extends Error {
  constructor(ms: number) {
    super(`the app did not answer within ${ms} ms`);
    this.name = 'AppTimeoutError';
  }
}

/** Runs `fn` but gives up after `ms`; a late rejection is swallowed so it can never go unhandled. */
export function withDeadline<T>(fn: () => T | Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AppTimeoutError(ms)), ms);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(fn());
    } catch (err) {
      clearTimeout(timer);
      reject(toError(err));
      return;
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(toError(err));
      },
    );
  });
}

/** What `run` needs to know about the request besides the app. */
export interface Turn {
  phase: 'start' | 'continue';
  sessionId: string;
  state: TrackedState;
  /** The result being answered; none at start. */
  result?: Result;
}

/** What the runner needs from the pipeline. */
export interface AppRunnerDeps {
  config: Pick<Config, 'appTimeoutMs'>;
  fallbacks: Fallbacks;
  state: StateTracking;
  onWarnings: (app: string, count: number) => void;
  /** Counts the unknown keys left out of an app's document. */
  onUnknownKeys: (app: string, count: number) => void;
}

/** Runs an app function for one turn and answers its document or a fallback. */
export type RunApp = <C extends AppContext<unknown>>(
  app: ModuleApp,
  fn: (ctx: C) => readonly Verb[] | Promise<readonly Verb[]>,
  ctx: C,
  kind: FallbackKind,
  channel: Channel | undefined,
  turn: Turn,
) => Promise<TropoAnswer>;

/** Creates the function that runs apps for a pipeline. */
export function createAppRunner(deps: AppRunnerDeps): RunApp {
  const { config, fallbacks, state } = deps;

  /**
   * One log line for a document's warnings, with the same message whether or not keys were dropped
   * (an operator's search finds them all); `unknownKeys` names the keys left out of what Tropo got.
   */
  function reportWarnings(app: string, log: Logger, validation: Validation): void {
    deps.onWarnings(app, validation.issues.length);
    const { dropped } = validation;
    if (dropped.length > 0) deps.onUnknownKeys(app, dropped.length);
    log.warn(
      dropped.length === 0
        ? { warnings: validation.issues }
        : { warnings: validation.issues, unknownKeys: dropped },
      'the app answered a document with warnings',
    );
  }

  return async function run(app, fn, ctx, kind, channel, turn) {
    const base = { app: app.name, sessionId: turn.sessionId };
    const finish = (answer: TropoAnswer, verbs: readonly Verb[]): TropoAnswer => {
      const forgetting =
        turn.sessionId !== '' &&
        shouldForgetState({
          phase: turn.phase,
          ended: answerEndsSession(verbs, turn.result),
          use: turn.state.use(),
          storeFailed: answer.code === 'STATE_UNAVAILABLE',
        });
      if (forgetting) state.forget(turn.sessionId, () => ctx.log);
      return answer;
    };
    const failed = (code: ErrorCode, details: FallbackDetails): TropoAnswer =>
      finish(fallbacks.answer(code, kind, ctx.log, details), fallbacks.verbs[kind]);

    let verbs: readonly Verb[];
    try {
      verbs = await withDeadline(() => fn(ctx), config.appTimeoutMs);
    } catch (err) {
      if (err instanceof AppTimeoutError) return failed('APP_TIMEOUT', { err, ...base });
      if (isStateUnavailableError(err)) {
        // An outage fails every request that touches state: its first failure is logged at error
        // with the cause, the rest at debug (each request's log line still has the code and error id).
        const opens = state.failures.failed();
        return failed('STATE_UNAVAILABLE', {
          err,
          ...base,
          ...(opens
            ? {
                note: 'until a state call succeeds, further STATE_UNAVAILABLE answers log at debug',
              }
            : { level: 'debug' }),
        });
      }
      if (err instanceof AppInputError) {
        return failed('APP_PARAMS_INVALID', { err, issues: err.issues, ...base });
      }
      return failed('APP_THREW', { err, ...base });
    }
    // Whatever the app returned is untrusted: a getter or proxy may throw or change its answer, and
    // a huge answer must be refused before validation spends the server's time on it. It is read
    // once, into plain data; from then on only that copy and the validator's normal form are read.
    let copied: PlainCopy;
    try {
      copied = plainCopy(verbs);
    } catch (err) {
      return failed('APP_INVALID_DOCUMENT', { err, ...base });
    }
    if (!copied.ok) {
      return failed('APP_DOCUMENT_TOO_LARGE', {
        issues: [{ path: 'tropo', message: copied.tooLarge }],
        ...base,
      });
    }
    try {
      const validation = validateDocument({ tropo: copied.value }, channel ? { channel } : {});
      if (!validation.ok || validation.document === undefined) {
        return failed('APP_INVALID_DOCUMENT', { issues: issuesOf(validation.issues), ...base });
      }
      if (validation.issues.length > 0) reportWarnings(app.name, ctx.log, validation);
      // The normal form, never the app's object: unknown keys are not in it.
      const body = serialiseValidated(validation.document);
      const tooLong = oversizedBody(body);
      if (tooLong) {
        return failed('APP_DOCUMENT_TOO_LARGE', {
          issues: [{ path: 'tropo', message: tooLong }],
          ...base,
        });
      }
      return finish({ status: 200, body, ...base }, validation.document.tropo);
    } catch (err) {
      return failed('APP_INVALID_DOCUMENT', { err, ...base });
    }
  };
}
