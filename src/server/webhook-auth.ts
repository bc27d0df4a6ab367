/**
 * Protecting the Tropo-facing webhooks, which Tropo itself never signs: a shared key carried as
 * `?key=`, an optional allow list of caller addresses, and continuation URLs bound by an HMAC to
 * the app, handler and session they were issued for. HTTP-free; src/server/http/webhook-guard.ts adapts it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** True when `given` is the secret (the webhook `?key=`, the API's bearer key); constant time over fixed-length digests. */
export function keyMatches(given: unknown, secret: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  // Digests first: timingSafeEqual needs equal lengths, and the length of the secret must not leak.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/** Decides whether a caller's address may reach the webhooks. */
export interface IpAllowList {
  allows: (address: string | undefined) => boolean;
}

/** Builds an allow list from addresses and CIDRs (`203.0.113.7`, `198.51.100.0/24`, `2001:db8::/32`). */
export function ipAllowList(entries: readonly string[]): IpAllowList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`not an IP address or CIDR: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return {
    allows(address) {
      if (address === undefined) return false;
      const family = isIP(address);
      // BlockList matches IPv4 rules against IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) too.
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** Signs and checks continuation URLs for one secret. */
export interface ContinuationSigner {
  /** The signature for a continuation of `app`'s `handler` in session `sessionId`. */
  sign: (app: string, handler: string, sessionId: string) => string;
  /** True when `sig` is the signature of that app, handler and session (constant-time). */
  verify: (app: string, handler: string, sessionId: string, sig: unknown) => boolean;
}

/** A signer whose HMAC key is derived from the webhook secret, so the two uses never share a key. */
export function continuationSigner(secret: string): ContinuationSigner {
  const key = createHmac('sha256', secret).update('tropo-app-server continuation v1').digest();
  // A JSON array keeps the fields apart whatever characters they contain.
  const sign = (app: string, handler: string, sessionId: string) =>
    createHmac('sha256', key)
      .update(JSON.stringify([app, handler, sessionId]))
      .digest('base64url');
  return {
    sign,
    verify(app, handler, sessionId, sig) {
      if (typeof sig !== 'string') return false;
      const expected = Buffer.from(sign(app, handler, sessionId));
      const given = Buffer.from(sig);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
