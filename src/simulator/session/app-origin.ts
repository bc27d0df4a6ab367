/** The app's own origin in a session: how its URLs are shown, and which URLs the simulator refuses to POST to. */

/** `url` as a transcript shows it: path and query when it is on `origin`, else whole. */
export function showUrl(url: string, origin: string | undefined): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin ? `${parsed.pathname}${parsed.search}` : url;
  } catch {
    // Not a URL: shown as it is.
    return url;
  }
}

/**
 * Why `url` may not be POSTed to (another origin than the app's `origin`, and its host not in
 * `allowHosts`, lower-cased), or undefined.
 */
export function refusalOf(
  url: string,
  origin: string | undefined,
  allowHosts: readonly string[],
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // Not a URL: the POST itself fails and says so.
  }
  if (origin === undefined || parsed.origin === origin) return undefined;
  const host = parsed.host.toLowerCase();
  if (allowHosts.includes(host) || allowHosts.includes(parsed.hostname.toLowerCase())) {
    return undefined;
  }
  return `the app sent Tropo to ${parsed.origin}, not the app's own ${origin}; the simulator POSTs only to the app unless --allow-host ${parsed.hostname} allows that host`;
}
