/**
 * URL handling for the simulator: resolve an `on.next` URL the way Tropo must have (§2.1), and hide
 * secrets (Session API tokens, passwords, webhook keys) before anything reaches a transcript
 * (DESIGN §7).
 */

import { redactor } from '../lib';

/** Outcome of resolving a `next` URL. */
export type ResolvedUrl = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Resolves `next` against the URL of the request that returned the declaring document, by RFC 3986
 * reference resolution (`new URL(next, base)`): absolute URLs stay, `/x` replaces the path, `x.php`
 * replaces the last path segment. Only http(s) results are usable, since Tropo POSTs to them.
 */
export function resolveNextUrl(next: string, documentUrl: string): ResolvedUrl {
  if (next.trim() === '') return { ok: false, reason: 'the next URL is empty' };
  let base: URL;
  try {
    base = new URL(documentUrl);
  } catch {
    return { ok: false, reason: `the document URL "${documentUrl}" is not an absolute URL` };
  }
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return { ok: false, reason: `"${next}" is not a valid URL reference` };
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    return {
      ok: false,
      reason: `"${next}" resolves to a ${resolved.protocol} URL; Tropo only POSTs over HTTP(S)`,
    };
  }
  return { ok: true, url: resolved.href };
}

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

// Query/form parameters that carry secrets here: the Session API token, WEBHOOK_SECRET's `key`
// (DESIGN §6) and the usual password/API-key names.
const SECRET_PARAMS = 'token|key|password|passwd|api_key|apikey|access_token|secret';
const SECRET_JSON_KEYS = 'token|password|sessionToken|authorization|api_key|apiKey|secret';

const QUERY_PARAM = new RegExp(`([?&;]|^)((?:${SECRET_PARAMS})=)([^&#\\s"'<>]*)`, 'gi');
const JSON_STRING_VALUE = new RegExp(
  `("(?:${SECRET_JSON_KEYS})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`,
  'gi',
);
const XML_TOKEN = /(<token>)([^<]*)(<\/token>)/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s/@]+)(@)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const SECRET_KEY_NAME = new RegExp(`^(?:${SECRET_JSON_KEYS})$`, 'i');

let lastKnown: { key: string; redact: (text: string) => string } | undefined;

/** The shared redaction of `secrets`; a transcript asks for the same list line after line. */
function knownRedactor(secrets: readonly string[]): (text: string) => string {
  const key = JSON.stringify(secrets);
  if (lastKnown?.key !== key) lastKnown = { key, redact: redactor(secrets, REDACTED) };
  return lastKnown.redact;
}

/**
 * Replaces secrets in free text (URLs, JSON or XML bodies, log lines): every spelling of a known
 * secret value, secret query parameters, `"token":"…"`-style JSON members, `<token>` elements,
 * passwords in URLs and Bearer/Basic credentials.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  // The shared redaction finds each known secret in every spelling (encoded, escaped, base64).
  return knownRedactor(knownSecrets)(text)
    .replace(QUERY_PARAM, (_m, lead: string, key: string, value: string) =>
      value === '' ? `${lead}${key}` : `${lead}${key}${REDACTED}`,
    )
    .replace(JSON_STRING_VALUE, `$1${REDACTED}$3`)
    .replace(XML_TOKEN, `$1${REDACTED}$3`)
    .replace(URL_PASSWORD, `$1${REDACTED}$3`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/**
 * Deep copy of a JSON value with secrets hidden: members named like a secret (`token`, `password`,
 * `authorization`, …) lose their value, and every other string goes through `redactSecrets`.
 */
export function redactJson<T>(value: T, knownSecrets: readonly string[] = []): T {
  return redactValue(value, knownSecrets) as T;
}

function redactValue(value: unknown, knownSecrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, knownSecrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, knownSecrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        SECRET_KEY_NAME.test(key) && v !== null && v !== undefined && v !== ''
          ? REDACTED
          : redactValue(v, knownSecrets);
    }
    return out;
  }
  return value;
}
