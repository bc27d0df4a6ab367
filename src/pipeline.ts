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
} from './define-app';
import { oversized, oversizedBody } from './document-limits';
import { errorBody, type ErrorCode, type ErrorIssue } from './errors';
import type { Logger } from './logger';
import type { AppRegistry, ModuleApp } from './registry';
import { isStateUnavailableError } from './state';
import {
  hangup,
  parseResult,
  parseSession,
  say,
  serialiseValidated,
  validateDocument,
  type Channel,
  type Issue,
  type Session,
  type Verb,
} from './tropo';

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

/** What the pipeline needs from the rest of the server. */
export interface PipelineDeps {
  config: Config;
  registry: AppRegistry;
  logger: Logger;
  stateFor: StateFor;
  /** Builds the continuation URL for an app's handler in a session. */
  nextUrl: (app: string, handler: string, sessionId: string) => string;
}

/** The two Tropo-facing operations. */
export interface Pipeline {
  /** Answers the first POST of a session; `appName` comes from the route, else from the session. */
  start(body: unknown, appName?: string): Promise<TropoAnswer>;
  /** Answers a result POSTed to an app's handler. */
  continue(body: unknown, appName: string, handler: string): Promise<TropoAnswer>;
}

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
      reject(asError(err));
      return;
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(asError(err));
      },
    );
  });
}

/** An Error for whatever an app threw; `String()` itself throws for some values (`Object.create(null)`). */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  try {
    return new Error(String(err));
  } catch {
    return new Error('the app threw a value that cannot be shown as text');
  }
}

/** What the log line tells of an app's error; an error whose fields throw when read is still logged. */
function errorFields(err: unknown): { type: string; message: string; stack?: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  try {
    const { name, message, stack } = err;
    return {
      type: String(name),
      message: String(message),
      ...(typeof stack === 'string' ? { stack } : {}),
    };
  } catch {
    return { type: 'Error', message: 'an error whose fields cannot be read' };
  }
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

/** A state view made on first use, so a bad session id surfaces as the app's error, not the server's. */
function lazyState(make: () => SessionState): SessionState {
  let view: SessionState | undefined;
  const get = () => (view ??= make());
  return {
    get: (key) => Promise.resolve().then(() => get().get(key)),
    set: (key, value) => Promise.resolve().then(() => get().set(key, value)),
    delete: (key) => Promise.resolve().then(() => get().delete(key)),
  };
}

/** Creates the pipeline; fallback documents are built once here. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { config, registry, logger } = deps;
  const settings: AppSettings = { relayTo: config.relayTo, smsFrom: config.smsFrom };

  const fallbacks: Record<FallbackKind, string> = {
    voice: serialiseValidated({
      tropo: [
        say({
          value: config.fallback.voiceMessage,
          ...(config.fallback.voice ? { voice: config.fallback.voice } : {}),
        }),
        hangup(),
      ],
    }),
    text: serialiseValidated({
      tropo: config.fallback.textMessage
        ? [say({ value: config.fallback.textMessage }), hangup()]
        : [hangup()],
    }),
    silent: serialiseValidated({ tropo: [hangup()] }),
  };

  function fallback(
    code: ErrorCode,
    kind: FallbackKind,
    log: Logger,
    details: { err?: unknown; issues?: readonly ErrorIssue[]; app?: string; sessionId?: string },
  ): TropoAnswer {
    const errorId = randomBytes(6).toString('hex');
    const err = errorFields(details.err);
    log.error(
      {
        code,
        errorId,
        fallback: kind,
        ...(details.issues && details.issues.length > 0 ? { issues: details.issues } : {}),
        // Not under `err`: pino's error serializer would rename the type of this plain object to "Object".
        ...(err ? { error: err } : {}),
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

  async function run<C extends AppContext<unknown>>(
    app: ModuleApp,
    fn: (ctx: C) => readonly Verb[] | Promise<readonly Verb[]>,
    ctx: C,
    kind: FallbackKind,
    channel: Channel | undefined,
    sessionId: string,
  ): Promise<TropoAnswer> {
    const base = { app: app.name, sessionId };
    let verbs: readonly Verb[];
    try {
      verbs = await withDeadline(() => fn(ctx), config.appTimeoutMs);
    } catch (err) {
      if (err instanceof AppTimeoutError)
        return fallback('APP_TIMEOUT', kind, ctx.log, { err, ...base });
      if (isStateUnavailableError(err))
        return fallback('STATE_UNAVAILABLE', kind, ctx.log, { err, ...base });
      if (err instanceof AppInputError) {
        return fallback('APP_PARAMS_INVALID', kind, ctx.log, { err, issues: err.issues, ...base });
      }
      return fallback('APP_THREW', kind, ctx.log, { err, ...base });
    }
    // Whatever the app returned is untrusted from here on: a getter or proxy may throw, and a
    // huge answer must be refused before validation spends the server's time on it.
    try {
      const tooLarge = oversized(verbs);
      if (tooLarge) {
        return fallback('APP_DOCUMENT_TOO_LARGE', kind, ctx.log, {
          issues: [{ path: 'tropo', message: tooLarge }],
          ...base,
        });
      }
      const document = { tropo: verbs };
      const validation = validateDocument(document, channel ? { channel } : {});
      if (!validation.ok) {
        return fallback('APP_INVALID_DOCUMENT', kind, ctx.log, {
          issues: issuesOf(validation.issues),
          ...base,
        });
      }
      if (validation.issues.length > 0) {
        ctx.log.warn({ warnings: validation.issues }, 'the app answered a document with warnings');
      }
      const body = serialiseValidated(document as { tropo: Verb[] });
      const tooLong = oversizedBody(body);
      if (tooLong) {
        return fallback('APP_DOCUMENT_TOO_LARGE', kind, ctx.log, {
          issues: [{ path: 'tropo', message: tooLong }],
          ...base,
        });
      }
      return { status: 200, body, ...base };
    } catch (err) {
      return fallback('APP_INVALID_DOCUMENT', kind, ctx.log, { err, ...base });
    }
  }

  function contextFor<P>(app: ModuleApp, sessionId: string, log: Logger): AppContext<P> {
    const name = app.name;
    const handlers = app.definition.on;
    return {
      session: undefined,
      params: null,
      state: lazyState(() => deps.stateFor(sessionId)),
      log,
      settings,
      next: (handler: string) => {
        if (!handlers || !Object.hasOwn(handlers, handler)) {
          throw new Error(`app "${name}" has no handler "${handler}" for its next URL`);
        }
        return deps.nextUrl(name, handler, sessionId);
      },
    };
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
      if (registered.kind === 'static') {
        return { status: 200, body: registered.body, app: registered.name, sessionId: session.id };
      }
      const app = registered;
      const log = logger.child({ sessionId: session.id, app: app.name });
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
            return fallback('APP_PARAMS_INVALID', kind, log, { issues, ...base });
          }
          params = checked.data;
        } else {
          params = raw;
        }
      }
      const ctx: StartContext<unknown> = {
        ...contextFor<unknown>(app, session.id, log),
        session: withoutSecrets(session),
        params,
      };
      return run(app, app.definition.start, ctx, kind, validationChannel(session, app), session.id);
    },

    async continue(body, appName, handlerName) {
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
      const log = logger.child({
        sessionId: result.sessionId,
        app: app.name,
        handler: handlerName,
      });
      const ctx: HandlerContext<unknown> = {
        ...contextFor<unknown>(app, result.sessionId, log),
        result,
      };
      return run(
        app,
        handler,
        ctx,
        fallbackKindFor(undefined, app),
        validationChannel(undefined, app),
        result.sessionId,
      );
    },
  };
}
