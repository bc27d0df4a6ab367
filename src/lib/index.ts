/**
 * Leaf helpers shared by several folders, importing nothing of ours: fetch with a timeout and the
 * wording of network errors (simulator, Session API client, Redis store), thrown values as Errors,
 * a response body read up to a byte cap, the one redaction of known secrets, XML escaping, and
 * whether a host is loopback.
 */
export {
  fetchWithTimeout,
  FetchTimedOut,
  globalFetch,
  isFetchTimedOut,
  type FetchLike,
} from './fetch-with-timeout';
export { describeNetworkError, networkErrorParts, type NetworkErrorParts } from './network-error';
export { BodyTooLarge, isBodyTooLarge, readTextCapped } from './read-capped';
export { REDACTED, redactor, scrubUrlCredentials, secretSpellings } from './redact';
export { toError } from './to-error';
export { escapeXml } from './xml';
export { isLoopbackHost, isLoopbackHostHeader } from './loopback';
