/**
 * The browser phone behind its routes: the launch form of an app (its params schema as JSON
 * Schema), starting a session from what the page asks for, replies and hang-ups. Knows no HTTP.
 */
import { z } from 'zod';
import type { Config } from '../server/config';
import type { ErrorCode } from '../server/errors';
import type { AppRegistry } from '../server/registry';
// The engine's own modules, not the simulator's index: that loads the in-process server, which
// loads createApp, which loads the phone.
import { appStartUrl } from '../simulator/app-url';
import type { PostJson } from '../simulator/http';
import { type SessionSpec, createSession, isSessionSpecError } from '../simulator/session-factory';
import { replySchema } from './interactive';
import { type PhoneEvent, type PhoneSession, PhoneSessions } from './sessions';

/** Sessions the phone runs at once: a person tries one app at a time; a few tabs are plenty. */
export const MAX_PHONE_SESSIONS = 8;
/** Real seconds a phone session may last. */
export const MAX_PHONE_SECONDS = 15 * 60;
/** The token a phone launch carries: it never reaches Tropo (the engine plays Tropo here). */
export const PHONE_TOKEN = 'browser-phone-session-token';

const number = z.string().trim().min(1).max(100);
const startSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('call'), app: z.string().min(1).max(100), from: number, to: number }),
  z.object({
    mode: z.literal('text'),
    app: z.string().min(1).max(100),
    from: number,
    to: number,
    text: z.string().trim().min(1).max(2000),
  }),
  z.object({
    mode: z.literal('launch'),
    app: z.string().min(1).max(100),
    params: z.record(z.string().min(1).max(100), z.string().max(2000)).default({}),
  }),
]);

const replyBody = z.object({ question: z.number().int().positive(), reply: replySchema });

/** A refusal, as the route writes it. */
export interface PhoneRefusal {
  code: ErrorCode;
  issues: { path: string; message: string }[];
}

function refusal(code: ErrorCode, path = '', message?: string): PhoneRefusal {
  return { code, issues: message === undefined ? [] : [{ path, message }] };
}

function zodRefusal(error: z.ZodError): PhoneRefusal {
  return {
    code: 'PHONE_REQUEST_INVALID',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}

/** What the phone is built from. */
export interface PhoneDeps {
  config: Pick<Config, 'webhookSecret' | 'appTimeoutMs'>;
  registry: AppRegistry;
  post?: PostJson | undefined;
  maxSessions?: number | undefined;
  maxSeconds?: number | undefined;
  /** True once the server shuts down (running calls are hung up, new ones refused). */
  isShuttingDown?: (() => boolean) | undefined;
}

/** The phone service the routes adapt. */
export interface Phone {
  /** The JSON Schema of an app's launch parameters: null when it takes none, undefined when no such app. */
  paramsSchema(app: string): Record<string, unknown> | null | undefined;
  /** Starts a session against the server at `origin` (its own address); events go to `listener`. */
  start(
    body: unknown,
    origin: string,
    listener: (event: PhoneEvent) => void,
  ): PhoneSession | PhoneRefusal;
  /** Hands a reply (`{question, reply}`) to session `id`. */
  reply(id: string, body: unknown): PhoneRefusal | undefined;
  /** Hangs up session `id`. */
  hangup(id: string): PhoneRefusal | undefined;
  /** Hangs up everything (shutdown). */
  close(): Promise<void>;
}

/** True when `value` is a phone refusal rather than a session. */
export function isRefusal(value: PhoneSession | PhoneRefusal): value is PhoneRefusal {
  return 'code' in value;
}

/** Builds the phone for this server's registry. */
export function createPhone(deps: PhoneDeps): Phone {
  const secret = deps.config.webhookSecret;
  const sessions = new PhoneSessions({
    maxSessions: deps.maxSessions ?? MAX_PHONE_SESSIONS,
    maxSeconds: deps.maxSeconds ?? MAX_PHONE_SECONDS,
    post: deps.post,
    secrets: secret === undefined ? [] : [secret, encodeURIComponent(secret)],
    // The server gives an app APP_TIMEOUT_MS, then answers its fallback: wait a little longer.
    timeoutMs: deps.config.appTimeoutMs + 2000,
    stopping: deps.isShuttingDown,
  });

  return {
    paramsSchema(name) {
      const app = deps.registry.get(name);
      if (!app) return undefined;
      if (app.kind !== 'module' || !app.definition.params) return null;
      // Input side: what a person types (a transform such as confirm's "true" → true is not shown).
      return z.toJSONSchema(app.definition.params, { io: 'input', unrepresentable: 'any' });
    },

    start(body, origin, listener) {
      const parsed = startSchema.safeParse(body);
      if (!parsed.success) return zodRefusal(parsed.error);
      const ask = parsed.data;
      const base = appStartUrl(origin, deps.registry, ask.app);
      if (base === undefined) return refusal('UNKNOWN_APP', 'app', `no app named ${ask.app}`);
      const startUrl = secret === undefined ? base : `${base}?key=${encodeURIComponent(secret)}`;
      const spec: SessionSpec =
        ask.mode === 'launch'
          ? { kind: 'token', token: PHONE_TOKEN, parameters: ask.params }
          : ask.mode === 'text'
            ? { kind: 'text', from: ask.from, to: ask.to, text: ask.text }
            : { kind: 'voice', from: ask.from, to: ask.to };
      let session;
      try {
        session = createSession(spec);
      } catch (err) {
        if (!isSessionSpecError(err)) throw err;
        return refusal(
          'PHONE_REQUEST_INVALID',
          ask.mode === 'launch' ? 'params' : 'from',
          err.message,
        );
      }
      const started = sessions.start({ app: ask.app, startUrl, session, listener });
      return started ?? refusal('PHONE_BUSY');
    },

    reply(id, body) {
      const session = sessions.get(id);
      if (!session) return refusal('PHONE_SESSION_NOT_FOUND');
      const parsed = replyBody.safeParse(body);
      if (!parsed.success) return zodRefusal(parsed.error);
      const refused = session.reply(parsed.data.question, parsed.data.reply);
      if (!refused) return undefined;
      return refused.code === 'PHONE_NOT_WAITING'
        ? refusal('PHONE_NOT_WAITING')
        : refusal('PHONE_REQUEST_INVALID', 'reply', refused.message);
    },

    hangup(id) {
      const session = sessions.get(id);
      if (!session) return refusal('PHONE_SESSION_NOT_FOUND');
      session.hangup();
      return undefined;
    },

    close: () => sessions.closeAll(),
  };
}
