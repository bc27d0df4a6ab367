/**
 * The request pipeline, free of HTTP: parse the session or result, pick the app, build its context
 * and run it (run-app.ts) — or answer an error or a fallback document (fallbacks.ts).
 */
import type { Logger } from 'pino';
import { errorAnswer, issuesOf, type TropoAnswer } from './answer';
import { appContext, appParameters, lazyChild, withoutSecrets } from './app-context';
import type { Config } from './config';
import type { ErrorCode } from './errors';
import { createFallbacks, fallbackKindFor, validationChannel } from './fallbacks';
import { outcomeReporter, type OutcomeReporter } from './outcomes';
import type { AppRegistry, ModuleApp } from './registry';
import { createAppRunner } from './run-app';
import { createStateTracking, type TrackedState } from './tracked-state';
import type { AppContext, HandlerContext, SessionState, StartContext } from '../sdk/define-app';
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
  /** Builds the continuation URL for an app's handler in a session. */
  nextUrl: (app: string, handler: string, sessionId: string) => string;
  /**
   * Checks a continuation's signature against the result's session (WEBHOOK_SECRET set); absent,
   * continuations are not signed and nothing is checked.
   */
  verifyContinuation?: (app: string, handler: string, sessionId: string, sig: unknown) => boolean;
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
  const state = createStateTracking(deps.stateFor, logger);
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
  ): { ctx: AppContext<P>; state: TrackedState; outcomes: ReturnType<typeof outcomeReporter> } {
    const tracked = state.track(sessionId);
    const outcomes = outcomeReporter(deps.outcomes, deps.stateFor, sessionId, logOf);
    const ctx = appContext<P>(app, {
      sessionId,
      state: tracked.view,
      logOf,
      nextUrl: deps.nextUrl,
      outcome: outcomes.outcome,
    });
    return { ctx, state: tracked, outcomes };
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
            return fallbacks.answer('APP_PARAMS_INVALID', kind, logOf(), { issues, ...base });
          }
          params = checked.data;
        } else {
          params = raw;
        }
      }
      const { ctx: shared, state: tracked, outcomes } = contextFor<unknown>(app, session.id, logOf);
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
      return run(app, app.definition.start, ctx, kind, validationChannel(session, app), {
        phase: 'start',
        sessionId: session.id,
        state: tracked,
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
      const { ctx: shared, state: tracked } = contextFor<unknown>(app, result.sessionId, logOf);
      const ctx: HandlerContext<unknown> = Object.assign(shared, { result });
      return run(
        app,
        handler,
        ctx,
        fallbackKindFor(undefined, app),
        validationChannel(undefined, app),
        { phase: 'continue', sessionId: result.sessionId, state: tracked, result },
      );
    },
  };
}
