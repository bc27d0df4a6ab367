/**
 * The request pipeline, free of HTTP: parse the session or result, pick the app, build its context
 * and run it (run-app.ts) — or answer an error or a fallback document (fallbacks.ts).
 */
import type { Logger } from 'pino';
import { errorAnswer, issuesOf, type TropoAnswer } from './answer';
import { appContext, appParameters, lazyChild, withoutSecrets } from './app-context';
import type { Config } from './config';
import type { ErrorCode } from './errors';
import {
  createFallbacks,
  fallbackKindFor,
  validationChannel,
  type FallbackKind,
} from './fallbacks';
import { outcomeReporter, type OutcomeReporter } from './outcomes';
import type { AppRegistry, ModuleApp } from './registry';
import { createAppRunner } from './run-app';
import type { SessionKeys } from './session-keys';
import { createStateTracking, type TrackedState } from './tracked-state';
import type { ContinuationSigner } from './webhook-auth';
import type { AppContext, HandlerContext, SessionState, StartContext } from '../sdk/define-app';
import { isStateUnavailableError } from '../state';
import { parseResult, parseSession, type SessionKind } from '../tropo';

export type { TropoAnswer } from './answer';

/** Per-session state access, provided by the state store. */
export type StateFor = (sessionId: string) => SessionState;

/** What the pipeline reports as it goes (metrics); every name it passes is a registered app's. */
export interface PipelineObserver {
  sessionStarted(app: string, kind: SessionKind): void;
  fallback(app: string | undefined, code: ErrorCode): void;
  validationWarnings(app: string, count: number): void;
  /** Unknown keys an app answered, left out of the document sent. */
  unknownKeys(app: string, count: number): void;
}

/** What the pipeline needs from the rest of the server. */
export interface PipelineDeps {
  config: Config;
  registry: AppRegistry;
  logger: Logger;
  stateFor: StateFor;
  /** Builds the continuation URL for an app's handler in a session (signed with its key, if any). */
  nextUrl: (app: string, handler: string, sessionId: string, sessionKey?: string) => string;
  /**
   * WEBHOOK_SECRET set: a start claims its session and gets its key (a repeated start is refused
   * with 409), and a continuation's signature is checked against the result's session and its key.
   * Absent, nothing is claimed, continuations are not signed and nothing is checked.
   */
  continuations?: { keys: SessionKeys; verify: ContinuationSigner['verify'] };
  observer?: PipelineObserver;
  /** Campaign outcomes (with Redis): verifies launch references and records `ctx.outcome`. */
  outcomes?: OutcomeReporter;
}

/** The two Tropo-facing operations. */
export interface Pipeline {
  /** Answers the first POST of a session; `appName` comes from the route, else from the session. */
  start(body: unknown, appName?: string): Promise<TropoAnswer>;
  /** Answers a result POSTed to an app's handler; `sig` is the continuation URL's signature. */
  continue(body: unknown, appName: string, handler: string, sig?: unknown): Promise<TropoAnswer>;
}

/** The app and session a fallback's log line names. */
type Base = { app: string; sessionId: string };

const NO_OBSERVER: PipelineObserver = {
  sessionStarted: () => undefined,
  fallback: () => undefined,
  validationWarnings: () => undefined,
  unknownKeys: () => undefined,
};

/** Creates the pipeline; fallback documents are built once here. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { config, registry, logger } = deps;
  const observer = deps.observer ?? NO_OBSERVER;
  const keys = deps.continuations?.keys;
  const state = createStateTracking(deps.stateFor, logger, keys && ((id) => keys.forget(id)));
  const fallbacks = createFallbacks(config.fallback, (app, code) => observer.fallback(app, code));
  const run = createAppRunner({
    config,
    fallbacks,
    state,
    onWarnings: (app, count) => observer.validationWarnings(app, count),
    onUnknownKeys: (app, count) => observer.unknownKeys(app, count),
  });

  function contextFor<P>(
    app: ModuleApp,
    sessionId: string,
    logOf: () => Logger,
    sessionKey: string | undefined,
  ): { ctx: AppContext<P>; state: TrackedState; outcomes: ReturnType<typeof outcomeReporter> } {
    const tracked = state.track(sessionId);
    const outcomes = outcomeReporter(deps.outcomes, deps.stateFor, sessionId, logOf);
    const ctx = appContext<P>(app, {
      sessionId,
      state: tracked.view,
      logOf,
      nextUrl: (name, handler, id) => deps.nextUrl(name, handler, id, sessionKey),
      outcome: outcomes.outcome,
    });
    return { ctx, state: tracked, outcomes };
  }

  /** The fallback for a state store that failed a key's claim or read: logged once per outage. */
  function stateDown(err: unknown, kind: FallbackKind, log: Logger, base: Base): TropoAnswer {
    if (!isStateUnavailableError(err)) throw err;
    const opens = state.failures.failed();
    return fallbacks.answer('STATE_UNAVAILABLE', kind, log, {
      err,
      ...base,
      ...(opens ? {} : { level: 'debug' }),
    });
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
        observer.sessionStarted(registered.name, session.kind);
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
            // Nothing is claimed: the fallback touches no state and signs no URL.
            observer.sessionStarted(app.name, session.kind);
            return fallbacks.answer('APP_PARAMS_INVALID', kind, logOf(), { issues, ...base });
          }
          params = checked.data;
        } else {
          params = raw;
        }
      }
      // First start wins: a repeat (Tropo never starts a session twice) must neither overwrite
      // the live session's state nor get a signature for its continuations.
      let sessionKey: string | undefined;
      if (keys) {
        try {
          sessionKey = await keys.claim(session.id);
        } catch (err) {
          return stateDown(err, kind, logOf(), base);
        }
        if (sessionKey === undefined) {
          logOf().warn(
            { code: 'SESSION_ALREADY_STARTED' },
            'refused a start for a session already under way; its state was left as it was',
          );
          return { ...errorAnswer('SESSION_ALREADY_STARTED', 409), ...base };
        }
      }
      observer.sessionStarted(app.name, session.kind);
      const {
        ctx: shared,
        state: tracked,
        outcomes,
      } = contextFor<unknown>(app, session.id, logOf, sessionKey);
      // Only a Session API launch can carry a campaign reference; the store is asked for nothing else.
      const campaign =
        session.kind === 'token' && deps.outcomes !== undefined
          ? (await outcomes.start(session.parameters)) !== undefined
          : false;
      // Assigned, not spread: a spread would read the lazy `log` getter and make the logger.
      const ctx: StartContext<unknown> = Object.assign(shared, {
        session: withoutSecrets(session),
        params,
        campaign,
      });
      const answer = await run(
        app,
        app.definition.start,
        ctx,
        kind,
        validationChannel(session, app),
        {
          phase: 'start',
          sessionId: session.id,
          state: tracked,
          keyed: sessionKey !== undefined,
        },
      );
      // A campaign call that met a state outage heard only the apology: the attempt failed, and
      // the campaign tries again (failed is retryable) instead of waiting it out as `unknown`.
      // Not awaited: the report waits for Redis, the caller should not.
      if (campaign && answer.code === 'STATE_UNAVAILABLE') void outcomes.outcome('failed');
      return answer;
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
      const logOf = lazyChild(logger, {
        sessionId: result.sessionId,
        app: app.name,
        handler: handlerName,
      });
      let sessionKey: string | undefined;
      if (deps.continuations) {
        const refused: TropoAnswer = {
          ...errorAnswer('WEBHOOK_BAD_SIGNATURE', 403),
          app: app.name,
          sessionId: result.sessionId,
        };
        // No signature, no store round trip.
        if (typeof sig !== 'string') return refused;
        try {
          sessionKey = await deps.continuations.keys.keyOf(result.sessionId);
        } catch (err) {
          const base = { app: app.name, sessionId: result.sessionId };
          return stateDown(err, fallbackKindFor(undefined, app), logOf(), base);
        }
        const { verify } = deps.continuations;
        if (
          sessionKey === undefined ||
          !verify(app.name, handlerName, result.sessionId, sessionKey, sig)
        )
          return refused;
      }
      const { ctx: shared, state: tracked } = contextFor<unknown>(
        app,
        result.sessionId,
        logOf,
        sessionKey,
      );
      const ctx: HandlerContext<unknown> = Object.assign(shared, { result });
      return run(
        app,
        handler,
        ctx,
        fallbackKindFor(undefined, app),
        validationChannel(undefined, app),
        {
          phase: 'continue',
          sessionId: result.sessionId,
          state: tracked,
          result,
          keyed: sessionKey !== undefined,
        },
      );
    },
  };
}
