/** The context an app function receives: its session or result, params, state, logger, settings and next URLs. */
import type { Logger } from 'pino';
import type { AppContext, CampaignOutcome, SessionState } from '../sdk/define-app';
import { CAMPAIGN_REF_PARAMETERS } from './outcomes';
import type { ModuleApp } from './registry';
import type { Session } from '../tropo';
import { omit } from '../tropo/json';

/** Session API parameters that are transport, not app input: the token is a secret, the campaign reference the server's. */
const TRANSPORT_PARAMETERS = new Set(['token', 'action', 'app', ...CAMPAIGN_REF_PARAMETERS]);

/** The Session API parameters an app sees: the transport ones (the token among them) removed. */
export function appParameters(session: Session): Record<string, string> {
  const out: Record<string, string> = {};
  const { parameters } = session;
  // Keys, not entries: no pair array per parameter on every start.
  for (const key of Object.keys(parameters)) {
    // A plain assignment, as before: a `__proto__` parameter stays out of what the app sees.
    if (!TRANSPORT_PARAMETERS.has(key)) out[key] = parameters[key] as string;
  }
  return out;
}

/** The session as apps see it: the Session API token removed. */
export function withoutSecrets(session: Session): Session {
  if (!('token' in session.parameters)) return session;
  // Copied without the token rather than copied and deleted from: a delete turns the object into
  // a slow dictionary for every later read of the app's.
  return { ...session, parameters: omit(session.parameters, ['token']) };
}

/**
 * A child logger made on first use. Most turns never log through it (only apps and failures do),
 * and making one costs pino a pass of its bindings through the redact paths (~7 µs).
 */
export function lazyChild(logger: Logger, bindings: Record<string, string>): () => Logger {
  let child: Logger | undefined;
  return () => (child ??= logger.child(bindings));
}

/** What `appContext` needs besides the app: where state and next URLs come from. */
export interface AppContextParts {
  sessionId: string;
  state: SessionState;
  logOf: () => Logger;
  /** Builds the continuation URL for an app's handler in a session. */
  nextUrl: (app: string, handler: string, sessionId: string) => string;
  /** `ctx.outcome` of this turn (see outcomes.ts). */
  outcome: (outcome: CampaignOutcome) => Promise<void>;
}

/**
 * The part of the context shared by `start` and the handlers; the caller assigns the session or
 * result onto it (assigned, not spread: a spread would read the lazy `log` getter).
 */
export function appContext<P>(app: ModuleApp, parts: AppContextParts): AppContext<P> {
  const { name } = app;
  const handlers = app.definition.on;
  const { logOf, nextUrl, sessionId } = parts;
  return {
    session: undefined,
    params: null,
    state: parts.state,
    get log() {
      return logOf();
    },
    // Checked against the app's own schema when it was registered.
    settings: app.settings,
    outcome: parts.outcome,
    next: (handler: string) => {
      if (!handlers || !Object.hasOwn(handlers, handler)) {
        throw new Error(`app "${name}" has no handler "${handler}" for its next URL`);
      }
      return nextUrl(name, handler, sessionId);
    },
  };
}
