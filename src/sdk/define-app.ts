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

/** The part of the server's configuration apps may read. */
export interface AppSettings {
  relayTo: string | undefined;
  smsFrom: string | undefined;
}

/** What a call came to, as an app reports it to the campaign that launched it (`ctx.outcome`). */
export type CampaignOutcome =
  'answered' | 'confirmed' | 'declined' | 'sent' | 'no-answer' | 'busy' | 'failed';

/** What every app function receives. Apps never see HTTP. */
export interface AppContext<P> {
  /** The session that started the conversation, without its Session API token. */
  session: Session | undefined;
  /** Session API parameters checked against the app's schema; `null` when the session was not launched by the Session API. */
  params: P | null;
  state: SessionState;
  log: Logger;
  /** The URL Tropo must POST the result to for `handler` of this app. */
  next: (handler: string) => string;
  settings: AppSettings;
  /**
   * Reports what this call came to, when a campaign launched the session (a no-op otherwise);
   * the first report of an attempt wins. It never rejects: a failure is logged.
   */
  outcome: (outcome: CampaignOutcome) => Promise<void>;
}

/** The context of `start`: the session is always there. */
export interface StartContext<P> extends AppContext<P> {
  session: Session;
  /** True when a campaign launched this session (its reference verified): outcomes count. */
  campaign: boolean;
}

/** The context of a continuation handler: the result Tropo POSTed. */
export interface HandlerContext<P> extends AppContext<P> {
  result: Result;
}

/** What an app function answers: the verbs of the next document. */
export type AppAnswer = readonly Verb[] | Promise<readonly Verb[]>;

/** An app module as declared with `defineApp`. */
export interface AppDefinition<P = Record<string, string>> {
  /** URL-safe name; equals the folder name under `apps/`. */
  name: string;
  description: string;
  channels: readonly AppChannel[];
  /** Schema of the Session API `parameters` this app is launched with. */
  params?: z.ZodType<P>;
  start: (ctx: StartContext<P>) => AppAnswer;
  on?: Record<string, (ctx: HandlerContext<P>) => AppAnswer>;
}

/** Declares an app; the identity function that gives an app module its types. */
export function defineApp<P = Record<string, string>>(
  definition: AppDefinition<P>,
): AppDefinition<P> {
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
