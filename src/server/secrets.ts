/** The configured secrets, and the one redaction of them that every answer and log line goes through. */
import { redactor } from '../lib';
import type { Config } from './config';

/** Every secret the configuration holds: Tropo tokens, API_KEY, WEBHOOK_SECRET, the Redis URL's password. */
export function configuredSecrets(
  config: Pick<Config, 'tropoToken' | 'appTokens' | 'apiKey' | 'webhookSecret' | 'redisUrl'>,
): string[] {
  const secrets = [config.tropoToken, ...Object.values(config.appTokens), config.apiKey];
  secrets.push(config.webhookSecret);
  if (config.redisUrl !== undefined && URL.canParse(config.redisUrl)) {
    const password = decodeURIComponent(new URL(config.redisUrl).password);
    if (password.length > 0) secrets.push(password);
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

const made = new WeakMap<object, (text: string) => string>();

/** The redaction of `config`'s secrets, made once per config. */
export function redactConfigured(
  config: Parameters<typeof configuredSecrets>[0],
): (text: string) => string {
  let redact = made.get(config);
  if (redact === undefined) {
    redact = redactor(configuredSecrets(config));
    made.set(config, redact);
  }
  return redact;
}
