/** The public surface of the Session API client: import from here, not from the files behind it. */
export { createSessionApiClient } from './client';
export {
  DEFAULT_TROPO_API_URL,
  type CreateSessionRequest,
  type FetchLike,
  type SessionApiClient,
  type SessionApiClientOptions,
  type SessionApiEvent,
  type SessionCreated,
  type SessionParameterValue,
  type SignalSent,
} from './types';
export * from './errors';
export {
  parseSessionAnswer,
  parseSignalAnswer,
  type SessionAnswer,
  type SignalAnswer,
} from './parse';
export { REDACTED, redactor } from './redact';
