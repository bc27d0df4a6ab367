/**
 * Launching outbound sessions for `POST /api/sessions`: check the caller's key, the app and its
 * parameters before anything is sent, then start the session through the Session API.
 */
import { z } from 'zod';
import type { Config } from './config';
import { errorBody, type ErrorCode, type ErrorIssue } from './errors';
import type { Logger } from 'pino';
import { APP_NAME_PATTERN } from './app-name';
import type { AppRegistry } from './registry';
import { keyMatches } from './webhook-auth';
import { SessionApiError, SessionApiRejectedError, type SessionApiClient } from '../session-api';

/** What the HTTP layer sends back. */
export interface LaunchAnswer {
  status: number;
  body: string;
  code?: ErrorCode;
  app?: string;
  sessionId?: string;
}

/** Parameters the server sets itself: a caller may not smuggle them in. */
const RESERVED = new Set(['token', 'action', 'app']);

const requestSchema = z.object({
  app: z.string().regex(APP_NAME_PATTERN, 'must be the name of a registered app'),
  parameters: z
    .record(z.string().max(64), z.union([z.string().max(4096), z.number(), z.boolean()]))
    .default({}),
});

/** True when the Authorization header carries `key` (`Bearer <key>`), compared as webhook keys are. */
export function bearerMatches(header: string | undefined, key: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return keyMatches(match?.[1], key);
}

function fail(
  code: ErrorCode,
  status: number,
  issues: ErrorIssue[] = [],
  reason?: string,
): LaunchAnswer {
  return { status, body: errorBody(code, issues, reason === undefined ? {} : { reason }), code };
}

/** The token for an app: `TROPO_TOKEN_<APP>` first, then `TROPO_TOKEN`. */
export function tokenFor(config: Config, app: string): string | undefined {
  return Object.hasOwn(config.appTokens, app) ? config.appTokens[app] : config.tropoToken;
}

/** Handles one launch request. */
export async function launchSession(
  deps: { config: Config; registry: AppRegistry; client: SessionApiClient; logger: Logger },
  authorization: string | undefined,
  body: unknown,
): Promise<LaunchAnswer> {
  const { config, registry, client, logger } = deps;
  if (!config.apiKey) return fail('API_DISABLED', 404);
  if (!bearerMatches(authorization, config.apiKey)) return fail('UNAUTHORIZED', 401);

  const request = requestSchema.safeParse(body);
  if (!request.success) {
    return fail(
      'LAUNCH_INVALID',
      400,
      request.error.issues.map((i) => ({
        path: i.path.map(String).join('.') || '(body)',
        message: i.message,
      })),
    );
  }
  const { app: name } = request.data;
  const app = registry.module(name);
  if (!app) return fail('UNKNOWN_APP', 404);

  const parameters: Record<string, string> = {};
  const issues: ErrorIssue[] = [];
  for (const [key, value] of Object.entries(request.data.parameters)) {
    if (RESERVED.has(key))
      issues.push({ path: `parameters.${key}`, message: 'is set by the server' });
    else parameters[key] = String(value);
  }
  const schema = app.definition.params;
  if (schema) {
    const checked = schema.safeParse(parameters);
    if (!checked.success) {
      for (const i of checked.error.issues) {
        issues.push({ path: ['parameters', ...i.path.map(String)].join('.'), message: i.message });
      }
    }
  }
  if (issues.length > 0) return fail('LAUNCH_INVALID', 400, issues);

  const token = tokenFor(config, name);
  if (!token) return fail('TOKEN_MISSING', 503);

  const log = logger.child({ app: name });
  try {
    const created = await client.createSession({ token, parameters: { ...parameters, app: name } });
    log.info({ sessionId: created.id, dryRun: created.dryRun }, 'outbound session launched');
    return {
      status: 200,
      body: JSON.stringify({ id: created.id }),
      app: name,
      sessionId: created.id,
    };
  } catch (err) {
    if (err instanceof SessionApiRejectedError) {
      log.warn({ code: err.code, reason: err.reason }, 'Tropo rejected the launch');
      return { ...fail('SESSION_API_REJECTED', 502, [], err.reason), app: name };
    }
    if (err instanceof SessionApiError) {
      log.error(
        { code: err.code, message: err.message, attempts: err.attempts },
        'the launch failed',
      );
      return { ...fail('SESSION_API_FAILED', 502, [], err.message), app: name };
    }
    throw err;
  }
}
