/** What an app may be called, in one place: the registry, the launch API and the APPS setting all check names with it. */

/** URL-safe, one path segment, at most 63 characters (a DNS label): `/apps/<name>/start` needs no escaping. */
export const APP_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
