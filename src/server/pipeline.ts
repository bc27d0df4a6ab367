/**
 * The request pipeline, free of HTTP: parse the session or result, pick the app, run it with a
 * deadline, validate its verbs and serialise them — or answer a safe fallback document.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './config';
import {
  AppInputError,
  type AppContext,
  type AppSettings,
  type HandlerContext,
  type SessionState,
  type StartContext,
} from '../sdk/define-app';
import { oversized, oversizedBody } from './document-limits';
import { errorBody, type ErrorCode, type ErrorIssue } from './errors';
import { loggableError, toError } from './loggable-error';
import type { Logger } from 'pino';
import type { AppRegistry, ModuleApp } from './registry';
import { answerEndsSession, shouldForgetState, type StateUse } from './session-end';
import { isStateUnavailableError } from '../state';
import { stateFailures, type StateFailures } from './state-failures';
import {
  hangup,
  parseResult,
  parseSession,
  say,
  serialiseValidated,
  validateDocument,
  type Channel,
  type Issue,
  type Result,
  type Session,
  type SessionKind,
  type Verb,
} from '../tropo';

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

/** Session API parameters that are transport, not app input: the token is a secret. */
const TRANSPORT_PARAMETERS = new Set(['token', 'action', 'app']);

/** Per-session state access, provided by the state store. */
export type StateFor = (sessionId: string) => SessionState;

/** What the pipeline reports as it goes (metrics); every name it passes is a registered app's. */
export interface PipelineObserver {
  sessionStarted(app: string, kind: SessionKind): void;
  fallback(app: string | undefined, code: ErrorCode): void;
  validationWarnings(app: string, count: number): void;
}

/** What the pipeline needs from the rest of the server. */
export interface PipelineDeps {
  config: Config;
  registry: AppRegistry;
  logger: Logger;
  stateFor: StateFor;
  /** Builds the continuation URL for an app's handler in a session. */
  nextUrl: (app: string, handler: string, sessionId: string) => string;
  /**
   * Checks a continuation's signature against the result's session (WEBHOOK_SECRET set); absent,
   * continuations are not signed and nothing is checked.
   */
  verifyContinuation?: (app: string, handler: string, sessionId: string, sig: unknown) => boolean;
  observer?: PipelineObserver;
}

/** The two Tropo-facing operations. */
export interface Pipeline {
  /** Answers the first POST of a session; `appName` comes from the route, else from the session. */
  start(body: unknown, appName?: string): Promise<TropoAnswer>;
  /** Answers a result POSTed to an app's handler; `sig` is the continuation URL's signature. */
  continue(body: unknown, appName: string, handler: string, sig?: unknown): Promise<TropoAnswer>;
}

const NO_OBSERVER: PipelineObserver = {
  sessionStarted: () => undefined,
  fallback: () => undefined,
  validationWarnings: () => undefined,
};

type FallbackKind = 'voice' | 'text' | 'silent';

class AppTimeoutError extends Error {
  constructor(ms: number) {
    super(`the app did not answer within ${ms} ms`);
    this.name = 'AppTimeoutError';
  }
}

function errorAnswer(
  code: ErrorCode,
  status: number,
  issues: readonly ErrorIssue[] = [],
): TropoAnswer {
  return { status, body: errorBody(code, issues), code };
}

function issuesOf(issues: readonly Issue[]): ErrorIssue[] {
  return issues
    .filter((i) => i.severity === 'error')
    .map(({ path, message }) => ({ path, message }));
}

/** Runs `fn` but gives up after `ms`; a late rejection is swallowed so it can never go unhandled. */
function withDeadline<T>(fn: () => T | Promise<T>, ms: number): Promise<T> {
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

function appParameters(session: Session): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(session.parameters)) {
    if (!TRANSPORT_PARAMETERS.has(key)) out[key] = value;
  }
  return out;
}

/** The session as apps see it: the Session API token removed. */
function withoutSecrets(session: Session): Session {
  if (!('token' in session.parameters)) return session;
  const parameters = { ...session.parameters };
  delete parameters.token;
  return { ...session, parameters };
}

/**
 * A child logger made on first use. Most turns never log through it (only apps and failures do),
 * and making one costs pino a pass of its bindings through the redact paths (~7 µs).
 */
function lazyChild(logger: Logger, bindings: Record<string, string>): () => Logger {
  let child: Logger | undefined;
  return () => (child ??= logger.child(bindings));
}

function fallbackKindFor(session: Session | undefined, app: ModuleApp | undefined): FallbackKind {
  if (session?.kind === 'token') return 'silent';
  if (session?.kind === 'text') return 'text';
  if (!session && app && !app.channels.includes('voice')) return 'text';
  return 'voice';
}

function validationChannel(session: Session | undefined, app: ModuleApp): Channel | undefined {
  if (session?.kind === 'text') return 'TEXT';
  if (session?.kind === 'voice') return 'VOICE';
  if (!session && !app.channels.includes('voice')) return 'TEXT';
  return undefined;
}

/** A request's state view, and what the request did with it (for the clean-up at session end). */
interface TrackedState {
  view: SessionState;
  use(): StateUse;
}

/**
 * A state view made on first use, so a bad session id surfaces as the app's error, not the server's.
 * It notes writes and a final whole-state delete, and reports every call that succeeds (which ends
 * a state outage).
 */
function trackedState(make: () => SessionState, onSuccess: () => void): TrackedState {
  let view: SessionState | undefined;
  const get = () => (view ??= make());
  let wrote = false;
  // Changes are numbered as they are asked for; the view runs them in that order.
  let changes = 0;
  let clearedAt = -1;
  function track<T>(operation: () => Promise<T>): Promise<T> {
    return Promise.resolve()
      .then(operation)
      .then((value) => {
        onSuccess();
        return value;
      });
  }
  return {
    view: {
      get: (key) => track(() => get().get(key)),
      set: (key, value) => {
        wrote = true;
        changes += 1;
        return track(() => get().set(key, value));
      },
      delete: (key) => {
        changes += 1;
        const change = changes;
        return track(() => get().delete(key)).then(() => {
          if (key === undefined) clearedAt = change;
        });
      },
    },
    use: () => ({ wrote, cleared: clearedAt === changes }),
  };
}

/** Creates the pipeline; fallback documents are built once here. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { config, registry, logger } = deps;
  const observer = deps.observer ?? NO_OBSERVER;
  const settings: AppSettings = { relayTo: config.relayTo, smsFrom: config.smsFrom };
  const failures: StateFailures = stateFailures();

  const fallbackVerbs: Record<FallbackKind, Verb[]> = {
    voice: [
      say({
        value: config.fallback.voiceMessage,
        ...(config.fallback.voice ? { voice: config.fallback.voice } : {}),
      }),
      hangup(),
    ],
    text: config.fallback.textMessage
      ? [say({ value: config.fallback.textMessage }), hangup()]
      : [hangup()],
    silent: [hangup()],
  };
  const fallbacks: Record<FallbackKind, string> = {
    voice: serialiseValidated({ tropo: fallbackVerbs.voice }),
    text: serialiseValidated({ tropo: fallbackVerbs.text }),
    silent: serialiseValidated({ tropo: fallbackVerbs.silent }),
  };

  function fallback(
    code: ErrorCode,
    kind: FallbackKind,
    log: Logger,
    details: {
      err?: unknown;
      issues?: readonly ErrorIssue[];
      app?: string;
      sessionId?: string;
      /** `debug` for the repeats of a failure already logged at error (a state outage). */
      level?: 'error' | 'debug';
      note?: string;
    },
  ): TropoAnswer {
    const errorId = randomBytes(6).toString('hex');
    const err = loggableError(details.err);
    observer.fallback(details.app, code);
    log[details.level ?? 'error'](
      {
        code,
        errorId,
        fallback: kind,
        ...(details.issues && details.issues.length > 0 ? { issues: details.issues } : {}),
        // The Error itself: pino's serializer keeps its type, message, stack and causes.
        ...(err ? { err } : {}),
        ...(details.note ? { note: details.note } : {}),
      },
      `answered a fallback document: ${code}`,
    );
    return {
      status: 200,
      body: fallbacks[kind],
      code,
      errorId,
      ...(details.app ? { app: details.app } : {}),
      ...(details.sessionId ? { sessionId: details.sessionId } : {}),
    };
  }

  /** Notes a state call that worked; the first one after an outage says the outage is over. */
  function stateWorked(): void {
    const failed = failures.succeeded();
    if (failed !== undefined) {
      logger.info({ failedCalls: failed }, 'state store answers again: the state outage is over');
    }
  }

  /** Deletes an ended session's state without holding up the answer; a failure is only logged. */
  function forget(sessionId: string, logOf: () => Logger): void {
    // Not awaited: Tropo is waiting for the answer, and the TTL removes the state anyway should
    // this fail. The delete is sent before the answer is written, so a shutdown's QUIT comes after it.
    deps
      .stateFor(sessionId)
      .delete()
      .then(stateWorked, (err: unknown) => {
        const detail = toError(err);
        const message = 'could not delete the state of an ended session (it expires with its TTL)';
        if (!isStateUnavailableError(err)) {
          logOf().warn({ err: detail }, message);
        } else if (failures.failed()) {
          logOf().warn({ code: 'STATE_UNAVAILABLE', err: detail }, message);
        } else {
          logOf().debug({ code: 'STATE_UNAVAILABLE', err: detail }, message);
        }
      });
  }

  /** What `run` needs to know about the request besides the app. */
  interface Turn {
    phase: 'start' | 'continue';
    sessionId: string;
    state: TrackedState;
    /** The result being answered; none at start. */
    result?: Result;
  }

  async function run<C extends AppContext<unknown>>(
    app: ModuleApp,
    fn: (ctx: C) => readonly Verb[] | Promise<readonly Verb[]>,
    ctx: C,
    kind: FallbackKind,
    channel: Channel | undefined,
    turn: Turn,
  ): Promise<TropoAnswer> {
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
      if (forgetting) forget(turn.sessionId, () => ctx.log);
      return answer;
    };
    const failed = (code: ErrorCode, details: Parameters<typeof fallback>[3]): TropoAnswer =>
      finish(fallback(code, kind, ctx.log, details), fallbackVerbs[kind]);

    let verbs: readonly Verb[];
    try {
      verbs = await withDeadline(() => fn(ctx), config.appTimeoutMs);
    } catch (err) {
      if (err instanceof AppTimeoutError) return failed('APP_TIMEOUT', { err, ...base });
      if (isStateUnavailableError(err)) {
        // An outage fails every request that touches state: its first failure is logged at error
        // with the cause, the rest at debug (each request's log line still has the code and error id).
        const opens = failures.failed();
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
    // Whatever the app returned is untrusted from here on: a getter or proxy may throw, and a
    // huge answer must be refused before validation spends the server's time on it.
    try {
      const tooLarge = oversized(verbs);
      if (tooLarge) {
        return failed('APP_DOCUMENT_TOO_LARGE', {
          issues: [{ path: 'tropo', message: tooLarge }],
          ...base,
        });
      }
      const document = { tropo: verbs };
      const validation = validateDocument(document, channel ? { channel } : {});
      if (!validation.ok || validation.document === undefined) {
        return failed('APP_INVALID_DOCUMENT', { issues: issuesOf(validation.issues), ...base });
      }
      if (validation.issues.length > 0) {
        observer.validationWarnings(app.name, validation.issues.length);
        ctx.log.warn({ warnings: validation.issues }, 'the app answered a document with warnings');
      }
      const body = serialiseValidated(document as { tropo: Verb[] });
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
  }

  function contextFor<P>(
    app: ModuleApp,
    sessionId: string,
    logOf: () => Logger,
  ): { ctx: AppContext<P>; state: TrackedState } {
    const name = app.name;
    const handlers = app.definition.on;
    const state = trackedState(() => deps.stateFor(sessionId), stateWorked);
    const ctx: AppContext<P> = {
      session: undefined,
      params: null,
      state: state.view,
      get log() {
        return logOf();
      },
      settings,
      next: (handler: string) => {
        if (!handlers || !Object.hasOwn(handlers, handler)) {
          throw new Error(`app "${name}" has no handler "${handler}" for its next URL`);
        }
        return deps.nextUrl(name, handler, sessionId);
      },
    };
    return { ctx, state };
  }

  return {
    async start(body, appName) {
      const parsed = parseSession(body);
      if (!parsed.ok) return errorAnswer('NOT_A_SESSION', 400, issuesOf(parsed.issues));
      const session = parsed.value;
      const chosen =
        appName ??
        session.parameters.app ??
        (session.kind === 'text' ? config.defaultTextApp : config.defaultApp);
      const registered = registry.get(chosen);
      if (!registered) {
        return { ...errorAnswer('UNKNOWN_APP', 404), sessionId: session.id };
      }
      observer.sessionStarted(registered.name, session.kind);
      if (registered.kind === 'static') {
        return { status: 200, body: registered.body, app: registered.name, sessionId: session.id };
      }
      const app = registered;
      const logOf = lazyChild(logger, { sessionId: session.id, app: app.name });
      const kind = fallbackKindFor(session, app);
      const base = { app: app.name, sessionId: session.id };

      let params: unknown = null;
      if (session.kind === 'token') {
        const raw = appParameters(session);
        const schema = app.definition.params;
        if (schema) {
          const checked = schema.safeParse(raw);
          if (!checked.success) {
            const issues = checked.error.issues.map((i) => ({
              path: ['parameters', ...i.path.map(String)].join('.'),
              message: i.message,
            }));
            return fallback('APP_PARAMS_INVALID', kind, logOf(), { issues, ...base });
          }
          params = checked.data;
        } else {
          params = raw;
        }
      }
      const { ctx: shared, state } = contextFor<unknown>(app, session.id, logOf);
      // Assigned, not spread: a spread would read the lazy `log` getter and make the logger.
      const ctx: StartContext<unknown> = Object.assign(shared, {
        session: withoutSecrets(session),
        params,
      });
      return run(app, app.definition.start, ctx, kind, validationChannel(session, app), {
        phase: 'start',
        sessionId: session.id,
        state,
      });
    },

    async continue(body, appName, handlerName, sig) {
      const app = registry.module(appName);
      if (!app) return errorAnswer('UNKNOWN_APP', 404);
      const handlers = app.definition.on;
      const handler =
        handlers && Object.hasOwn(handlers, handlerName) ? handlers[handlerName] : undefined;
      if (typeof handler !== 'function')
        return { ...errorAnswer('UNKNOWN_HANDLER', 404), app: app.name };
      const parsed = parseResult(body);
      if (!parsed.ok)
        return { ...errorAnswer('NOT_A_RESULT', 400, issuesOf(parsed.issues)), app: app.name };
      const result = parsed.value;
      if (
        deps.verifyContinuation &&
        !deps.verifyContinuation(app.name, handlerName, result.sessionId, sig)
      ) {
        return {
          ...errorAnswer('WEBHOOK_BAD_SIGNATURE', 403),
          app: app.name,
          sessionId: result.sessionId,
        };
      }
      const logOf = lazyChild(logger, {
        sessionId: result.sessionId,
        app: app.name,
        handler: handlerName,
      });
      const { ctx: shared, state } = contextFor<unknown>(app, result.sessionId, logOf);
      const ctx: HandlerContext<unknown> = Object.assign(shared, { result });
      return run(
        app,
        handler,
        ctx,
        fallbackKindFor(undefined, app),
        validationChannel(undefined, app),
        { phase: 'continue', sessionId: result.sessionId, state, result },
      );
    },
  };
}
