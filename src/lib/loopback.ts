/** Whether a host names this machine's loopback interface, for the settings and requests only a local user may make. */

/** True for `localhost`, `::1` (bracketed or not) and any 127.x.x.x address. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** True when an HTTP `Host` header (host, optional port) names loopback; false when absent. */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined) return false;
  const host = header.trim().startsWith('[')
    ? header.trim().slice(0, header.indexOf(']') + 1)
    : header.replace(/:\d*$/, '');
  return isLoopbackHost(host);
}
