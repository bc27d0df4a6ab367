/**
 * The safe documents answered instead of an app's (voice, text, silent), built once per pipeline,
 * and the answer that serves one and logs why.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { TropoAnswer } from './answer';
import type { Config } from './config';
import type { ErrorCode, ErrorIssue } from './errors';
import { loggableError } from './loggable-error';
import type { ModuleApp } from './registry';
import { hangup, say, serialiseValidated, type Channel, type Session, type Verb } from '../tropo';

/** Which fallback document suits the session: spoken, texted, or a bare hangup (outbound). */
export type FallbackKind = 'voice' | 'text' | 'silent';

/** What a fallback's log line says besides its code. */
export interface FallbackDetails {
  err?: unknown;
  issues?: readonly ErrorIssue[];
  app?: string;
  sessionId?: string;
  /** `debug` for the repeats of a failure already logged at error (a state outage). */
  level?: 'error' | 'debug';
  note?: string;
}

/** The fallback documents and the answer that serves them. */
export interface Fallbacks {
  /** The verbs of each fallback document (what the session-end rules read). */
  readonly verbs: Readonly<Record<FallbackKind, readonly Verb[]>>;
  /** Answers the `kind` fallback document for `code`, logging the failure with a fresh error id. */
  answer(code: ErrorCode, kind: FallbackKind, log: Logger, details: FallbackDetails): TropoAnswer;
}

/** The fallback for a session, or for a continuation of `app` when there is no session. */
export function fallbackKindFor(
  session: Session | undefined,
  app: ModuleApp | undefined,
): FallbackKind {
  if (session?.kind === 'token') return 'silent';
  if (session?.kind === 'text') return 'text';
  if (!session && app && !app.channels.includes('voice')) return 'text';
  return 'voice';
}

/** The channel the app's answer is validated for, when the request tells it. */
export function validationChannel(
  session: Session | undefined,
  app: ModuleApp,
): Channel | undefined {
  if (session?.kind === 'text') return 'TEXT';
  if (session?.kind === 'voice') return 'VOICE';
  if (!session && !app.channels.includes('voice')) return 'TEXT';
  return undefined;
}

/** Builds the fallback documents from the configured messages; `onFallback` counts each one served. */
export function createFallbacks(
  config: Config['fallback'],
  onFallback: (app: string | undefined, code: ErrorCode) => void,
): Fallbacks {
  const verbs: Record<FallbackKind, Verb[]> = {
    voice: [
      say({ value: config.voiceMessage, ...(config.voice ? { voice: config.voice } : {}) }),
      hangup(),
    ],
    text: config.textMessage ? [say({ value: config.textMessage }), hangup()] : [hangup()],
    silent: [hangup()],
  };
  const bodies: Record<FallbackKind, string> = {
    voice: serialiseValidated({ tropo: verbs.voice }),
    text: serialiseValidated({ tropo: verbs.text }),
    silent: serialiseValidated({ tropo: verbs.silent }),
  };

  function answer(
    code: ErrorCode,
    kind: FallbackKind,
    log: Logger,
    details: FallbackDetails,
  ): TropoAnswer {
    const errorId = randomBytes(6).toString('hex');
    const err = loggableError(details.err);
    onFallback(details.app, code);
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
      body: bodies[kind],
      code,
      errorId,
      ...(details.app ? { app: details.app } : {}),
      ...(details.sessionId ? { sessionId: details.sessionId } : {}),
    };
  }

  return { verbs, answer };
}
