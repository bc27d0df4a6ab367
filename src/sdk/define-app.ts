/** The app contract (DESIGN §3): what an app module declares and the context it is handed. */
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Result, Session, Verb } from '../tropo';

/** Channels an app serves. */
export type AppChannel = 'voice' | 'text';

/** JSON values an app may keep in conversation state. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Per-session conversation state; survives between documents (and instances, with Redis). */
export interface SessionState {
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  /** Deletes one key, or the whole session's state when no key is given. */
  delete(key?: string): Promise<void>;
}

/** The environment as the runtime hands it to the app loading (the only reader of `process.env`). */
export type AppEnvironment = Readonly<Record<string, string | undefined>>;

/** An app's settings once checked: the values its `settings` schema produced, by key. */
export type AppSettings = Readonly<Record<string, unknown>>;

/** The settings of an app that declares none: reading any key is a type error. */
export type NoSettings = Readonly<Record<never, never>>;

/**
 * The schema of the environment keys an app reads (`z.object({ RELAY_TO: z.string().optional() })`):
 * an object schema, so its keys can be listed (`.env.example` is checked against them).
 */
export type SettingsSchema<S extends AppSettings = AppSettings> = z.ZodType<S> & {
  readonly shape: Readonly<Record<string, unknown>>;
};

/** What a call came to, as an app reports it to the campaign that launched it (`ctx.outcome`). */
export type CampaignOutcome =
  'answered' | 'confirmed' | 'declined' | 'sent' | 'no-answer' | 'busy' | 'failed';

/** What every app function receives. Apps never see HTTP. */
export interface AppContext<P, S extends AppSettings = NoSettings> {
  /** The session that started the conversation, without its Session API token. */
  session: Session | undefined;
  /** Session API parameters checked against the app's schema; `null` when the session was not launched by the Session API. */
  params: P | null;
  state: SessionState;
  log: Logger;
  /** The URL Tropo must POST the result to for `handler` of this app. */
  next: (handler: string) => string;
  /** The app's own environment settings, as its `settings` schema checked them at start-up. */
  settings: S;
  /**
   * Reports what this call came to, when a campaign launched the session (a no-op otherwise);
   * the first report of an attempt wins. It never rejects: a failure is logged.
   */
  outcome: (outcome: CampaignOutcome) => Promise<void>;
}

/** The context of `start`: the session is always there. */
export interface StartContext<P, S extends AppSettings = NoSettings> extends AppContext<P, S> {
  session: Session;
  /** True when a campaign launched this session (its reference verified): outcomes count. */
  campaign: boolean;
}

/** The context of a continuation handler: the result Tropo POSTed. */
export interface HandlerContext<P, S extends AppSettings = NoSettings> extends AppContext<P, S> {
  result: Result;
}

/** What an app function answers: the verbs of the next document. */
export type AppAnswer = readonly Verb[] | Promise<readonly Verb[]>;

/** An app module as declared with `defineApp`. */
export interface AppDefinition<P = Record<string, string>, S extends AppSettings = NoSettings> {
  /** URL-safe name; equals the folder name under `apps/`. */
  name: string;
  description: string;
  channels: readonly AppChannel[];
  /** Schema of the Session API `parameters` this app is launched with. */
  params?: z.ZodType<P>;
  /**
   * Schema of the environment keys this app reads, checked at start-up (a missing or bad value
   * stops the server, naming the app and the key). An empty value counts as unset.
   */
  settings?: SettingsSchema<S>;
  start: (ctx: StartContext<P, S>) => AppAnswer;
  on?: Record<string, (ctx: HandlerContext<P, S>) => AppAnswer>;
}

/**
 * Declares an app; the identity function that gives an app module its types. `P` and `S` are
 * inferred from the `params` and `settings` schemas, so an app never needs to spell them.
 */
export function defineApp<P = Record<string, string>, S extends AppSettings = NoSettings>(
  definition: AppDefinition<P, S>,
): AppDefinition<P, S> {
  return definition;
}

/** Thrown by an app for a problem it has recognised (bad input it cannot serve): logged, then a safe document. */
export class AppInputError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'AppInputError';
  }
}
