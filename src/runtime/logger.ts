/** The pino logger: JSON lines, and secrets hidden by redact paths so no log line ever shows them. */
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactor } from '../lib';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear in a logged object. Tokens travel in
 * `session.parameters.token`; keys and passwords in headers, config and recording URLs.
 */
export const REDACT_PATHS: readonly string[] = [
  'token',
  '*.token',
  'parameters.token',
  '*.parameters.token',
  'session.parameters.token',
  'body.session.parameters.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'apiKey',
  '*.apiKey',
  'api_key',
  'webhookSecret',
  '*.webhookSecret',
  'secret',
  '*.secret',
  'password',
  '*.password',
  '*.*.password',
  'url.password',
  'sessionToken',
  '*.sessionToken',
  'key',
  '*.key',
];

/**
 * Creates the server's logger writing JSON lines to `destination` (default stdout). With `secrets`,
 * every line is written through the shared redaction, so a secret inside a message (an app's
 * error, Tropo's echo of a token) is hidden in any spelling, whatever key it sits under.
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; secrets?: readonly string[] } = {},
): Logger {
  const redact =
    options.secrets && options.secrets.length > 0 ? redactor(options.secrets) : undefined;
  return pino(
    {
      level: options.level ?? 'info',
      ...(redact ? { hooks: { streamWrite: redact } } : {}),
      base: { pid: process.pid },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
