/** The server's settings as typed values: what the request path needs, whoever fills them in. */

import type { CampaignSettings } from '../campaigns/model';

/** pino's level names, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The parsed configuration every other module receives (src/runtime/config.ts builds it from the
 * environment). It names no app: an app's own settings are its schema's (see `defineApp`).
 */
export interface Config {
  port: number;
  host: string;
  logLevel: LogLevel;
  publicUrl: string | undefined;
  trustProxy: boolean | number | string;
  defaultApp: string;
  defaultTextApp: string;
  apps: string[] | undefined;
  appTimeoutMs: number;
  bodyLimitBytes: number;
  tropoApiUrl: string;
  tropoToken: string | undefined;
  /** `TROPO_TOKEN_<APP>` values by app name (`TROPO_TOKEN_SMS_RELAY` → `sms-relay`). */
  appTokens: Record<string, string>;
  apiKey: string | undefined;
  /** Shared secret Tropo-facing requests carry as `?key=`; also signs continuation URLs. */
  webhookSecret: string | undefined;
  /** Addresses/CIDRs allowed to call Tropo-facing routes (client address as TRUST_PROXY resolves it). */
  webhookAllowIps: string[] | undefined;
  redisUrl: string | undefined;
  stateTtlSeconds: number;
  stateMaxEntries: number;
  /** Bytes the memory state store may hold in all (oldest evicted first). */
  stateMaxBytes: number;
  /** Bytes one session's state may take, in memory or Redis; a larger write fails the app. */
  stateMaxBytesPerSession: number;
  /** Worker processes to run (`auto`: one per CPU); more than one needs `redisUrl`. */
  webConcurrency: number | 'auto';
  fallback: { voiceMessage: string; voice: string | undefined; textMessage: string | undefined };
  /** Node's server timeouts: whole headers, whole request, idle keep-alive connection. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** `PHONE_UI`: serve the browser phone at `/phone` (on by default under `npm run dev`). */
  phoneUi: boolean;
  /** How long /readyz answers 503 before the listener stops, so a load balancer can notice. */
  shutdownDelayMs: number;
  /** How long shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /** CAMPAIGN_* and DEFAULT_TIME_ZONE: scheduled reminders (they run only with `redisUrl`). */
  campaigns: CampaignSettings;
}
