/** Configuration from the environment: the only module that reads it; parsed once, a bad value names its key. */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { isLoopbackHost, scrubUrlCredentials } from '../lib';
import { APP_NAME_PATTERN } from '../server/app-name';
import type { Config } from '../server/config';
import { isTimeZone, parseQuietHours } from '../campaigns/time';

export type { Config } from '../server/config';

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), 'must be an http(s) URL');

const appName = z.string().trim().regex(APP_NAME_PATTERN, 'must be an app name (a-z, 0-9, -)');

/** True for an IPv4/IPv6 address, optionally with a CIDR prefix length that fits its family. */
function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const addressList = z
  .string()
  .trim()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z
      .array(z.string().refine(isAddressOrCidr, 'must list IP addresses or CIDRs (203.0.113.0/24)'))
      .min(1, 'must list at least one IP address or CIDR'),
  );

/** The environment keys the server reads, with their defaults. `.env.example` documents each one. */
const envSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' || v === '' ? false : /^\d+$/.test(v) ? Number(v) : v,
    )
    .default(false),
  DEFAULT_APP: appName.default('appointment-reminder'),
  DEFAULT_TEXT_APP: appName.default('sms-relay'),
  APPS: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(appName))
    .optional(),
  APP_TIMEOUT_MS: integer(1, 60000).default(3000),
  BODY_LIMIT_BYTES: integer(1024, 10 * 1024 * 1024).default(100 * 1024),
  TROPO_API_URL: httpUrl.default('https://api.tropo.com/1.0'),
  TROPO_TOKEN: optionalText,
  API_KEY: optionalText,
  WEBHOOK_SECRET: z
    .string()
    .trim()
    .min(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)')
    .optional(),
  WEBHOOK_ALLOW_IPS: addressList.optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL')
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  STATE_TTL_SECONDS: integer(1, 7 * 24 * 3600).default(4 * 3600 + 600),
  STATE_MAX_ENTRIES: integer(1, 10_000_000).default(100_000),
  STATE_MAX_BYTES: integer(1024, 64 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  STATE_MAX_BYTES_PER_SESSION: integer(256, 64 * 1024 * 1024).default(16 * 1024),
  WEB_CONCURRENCY: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (v) => v === 'auto' || /^\d+$/.test(v),
      'must be a whole number from 1 to 1024, or auto',
    )
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
    .refine((v) => v === 'auto' || (v >= 1 && v <= 1024), 'must be from 1 to 1024, or auto')
    .default(1),
  FALLBACK_VOICE_MESSAGE: z
    .string()
    .trim()
    .min(1)
    .default('We are sorry, something went wrong. Please try again later. Goodbye.'),
  FALLBACK_VOICE: optionalText,
  FALLBACK_TEXT_MESSAGE: optionalText,
  HTTP_HEADERS_TIMEOUT_MS: integer(1000, 600000).default(10000),
  HTTP_REQUEST_TIMEOUT_MS: integer(1000, 600000).default(30000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(0, 600000).default(5000),
  SHUTDOWN_DELAY_MS: integer(0, 120000).default(0),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120000).default(8000),
  CAMPAIGN_LAUNCH_RATE: integer(1, 1000).default(1),
  CAMPAIGN_ATTEMPTS: integer(1, 20).default(3),
  CAMPAIGN_RETRY_DELAY_SECONDS: integer(0, 7 * 24 * 3600).default(600),
  CAMPAIGN_OUTCOME_TIMEOUT_SECONDS: integer(1, 7 * 24 * 3600).default(900),
  CAMPAIGN_QUIET_HOURS: z
    .string()
    .trim()
    .transform((v, ctx) => {
      try {
        return parseQuietHours(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  CAMPAIGN_MAX_REMINDERS: integer(1, 1_000_000).default(100_000),
  CAMPAIGN_MAX_BYTES: integer(1024, 512 * 1024 * 1024).default(20 * 1024 * 1024),
  PHONE_UI: z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
  DEFAULT_TIME_ZONE: z
    .string()
    .trim()
    .refine(isTimeZone, 'must be an IANA time zone, e.g. America/New_York or UTC')
    .default('UTC'),
});

/** Keys whose values are secrets: never echoed in an error. */
const SECRET_KEYS = new Set(['TROPO_TOKEN', 'API_KEY', 'WEBHOOK_SECRET', 'REDIS_URL']);

/** Thrown when the environment holds a bad value; the message names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment keys of `.env.example` that the server reads (for its test). */
export const CONFIG_KEYS: readonly string[] = [
  ...Object.keys(envSchema.shape),
  'TROPO_TOKEN_<APP>',
];

/**
 * The process environment, as the runtime hands it to the config and to the app loading (each
 * app's settings schema reads its own keys from it). A copy: later changes do not leak in.
 */
export function environment(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}

/** How the server is run: `dev` (`npm run dev`) turns the browser phone on and listens on loopback unless told otherwise. */
export interface ConfigMode {
  dev?: boolean | undefined;
}

/** Parses the environment (default: `process.env`) into a Config, or throws a ConfigError naming each bad key. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = environment(),
  mode: ConfigMode = {},
): Config {
  // An empty value (`KEY=` copied from .env.example) means "use the default", as if unset.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      const raw = env[key];
      // A malformed URL is echoed without its credentials (user:password@, key-like parameters).
      const shown =
        raw === undefined || SECRET_KEYS.has(key)
          ? ''
          : ` (got ${JSON.stringify(scrubUrlCredentials(raw))})`;
      return `${key}: ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  // Node refuses a headers timeout longer than the request timeout; say so in config terms.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS}) (got ${e.HTTP_HEADERS_TIMEOUT_MS})`,
    ]);
  }
  if (e.STATE_MAX_BYTES_PER_SESSION > e.STATE_MAX_BYTES) {
    throw new ConfigError([
      `STATE_MAX_BYTES_PER_SESSION: must not exceed STATE_MAX_BYTES (${e.STATE_MAX_BYTES}) (got ${e.STATE_MAX_BYTES_PER_SESSION})`,
    ]);
  }
  // Under `npm run dev` the phone is on by default, and so the server listens on loopback unless
  // HOST says otherwise: a fresh checkout must start without an API_KEY.
  const phoneUi = (e.PHONE_UI ?? (mode.dev ? 'on' : 'off')) === 'on';
  const host = given.HOST === undefined && mode.dev ? '127.0.0.1' : e.HOST;
  if (phoneUi && e.API_KEY === undefined && !isLoopbackHost(host)) {
    throw new ConfigError([
      `PHONE_UI: the browser phone lets whoever opens /phone run any app, so with HOST=${host} (not loopback) it needs API_KEY; set API_KEY, HOST=127.0.0.1, or PHONE_UI=off`,
    ]);
  }
  const appTokens: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^TROPO_TOKEN_([A-Z0-9_]+)$/.exec(key);
    if (match?.[1] && value) appTokens[match[1].toLowerCase().replace(/_/g, '-')] = value;
  }
  return {
    port: e.PORT,
    host,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    defaultApp: e.DEFAULT_APP,
    defaultTextApp: e.DEFAULT_TEXT_APP,
    apps: e.APPS,
    appTimeoutMs: e.APP_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    tropoApiUrl: e.TROPO_API_URL.replace(/\/+$/, ''),
    tropoToken: e.TROPO_TOKEN,
    appTokens,
    apiKey: e.API_KEY,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookAllowIps: e.WEBHOOK_ALLOW_IPS,
    redisUrl: e.REDIS_URL,
    stateTtlSeconds: e.STATE_TTL_SECONDS,
    stateMaxEntries: e.STATE_MAX_ENTRIES,
    stateMaxBytes: e.STATE_MAX_BYTES,
    stateMaxBytesPerSession: e.STATE_MAX_BYTES_PER_SESSION,
    webConcurrency: e.WEB_CONCURRENCY,
    fallback: {
      voiceMessage: e.FALLBACK_VOICE_MESSAGE,
      voice: e.FALLBACK_VOICE,
      textMessage: e.FALLBACK_TEXT_MESSAGE,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    phoneUi,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    campaigns: {
      launchRate: e.CAMPAIGN_LAUNCH_RATE,
      attempts: e.CAMPAIGN_ATTEMPTS,
      retryDelaySeconds: e.CAMPAIGN_RETRY_DELAY_SECONDS,
      outcomeTimeoutSeconds: e.CAMPAIGN_OUTCOME_TIMEOUT_SECONDS,
      quietHours: e.CAMPAIGN_QUIET_HOURS,
      maxReminders: e.CAMPAIGN_MAX_REMINDERS,
      maxBytes: e.CAMPAIGN_MAX_BYTES,
      defaultTimeZone: e.DEFAULT_TIME_ZONE,
    },
  };
}

/** Loads `.env` from `dir` into `process.env` when the file exists (values already set win). */
export function loadDotEnv(dir: string = process.cwd()): boolean {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
