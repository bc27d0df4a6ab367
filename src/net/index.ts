/** Network helpers shared by every HTTP caller of ours (simulator, Session API client) and the Redis store. */
export {
  fetchWithTimeout,
  FetchTimedOut,
  globalFetch,
  isFetchTimedOut,
  type FetchLike,
} from './fetch-with-timeout';
export { describeNetworkError, networkErrorParts, type NetworkErrorParts } from './network-error';
