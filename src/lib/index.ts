/**
 * Leaf helpers shared by several folders, importing nothing of ours: fetch with a timeout and the
 * wording of network errors (simulator, Session API client, Redis store), thrown values as Errors.
 */
export {
  fetchWithTimeout,
  FetchTimedOut,
  globalFetch,
  isFetchTimedOut,
  type FetchLike,
} from './fetch-with-timeout';
export { describeNetworkError, networkErrorParts, type NetworkErrorParts } from './network-error';
export { toError } from './to-error';
