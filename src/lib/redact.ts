/**
 * The one redaction of known secrets (Session API token, API_KEY, WEBHOOK_SECRET…) for every
 * string that leaves the process: HTTP answers, log lines, transcripts, CLI output. A secret is
 * found in each spelling it takes on the wire: raw, URL- and form-encoded, JSON- and XML-escaped,
 * and base64 (standard or URL-safe, at any alignment inside a longer base64 text).
 */

/** What stands in for a secret by default; the marker pino's `redact` option writes too. */
export const REDACTED = '[Redacted]';

/** Shortest base64 run worth matching: shorter ones would hide ordinary text by chance. */
const MIN_BASE64_CHARS = 8;

/** The characters of base64(`bytes`) that depend on `bytes` alone when they start `offset` bytes into a longer text. */
function base64Inner(bytes: Buffer, offset: number, alphabet: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/** Every spelling of `secret` this module hides, longest first. */
export function secretSpellings(secret: string): string[] {
  if (secret.length === 0) return [];
  const bytes = Buffer.from(secret, 'utf8');
  const spellings = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    // Whole, padded: what an upstream that base64-encodes the secret alone writes.
    bytes.toString('base64'),
  ];
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (const offset of [0, 1, 2]) {
      const inner = base64Inner(bytes, offset, alphabet);
      if (inner.length >= MIN_BASE64_CHARS) spellings.push(inner);
    }
  }
  // Longest first, so a spelling that contains another is replaced whole.
  return [...new Set(spellings)].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A function that replaces every spelling of every given secret with `marker`, in one pass over
 * the text. Empty and missing secrets are ignored; with none, text passes unchanged.
 */
export function redactor(
  secrets: string | undefined | readonly (string | undefined)[],
  marker: string = REDACTED,
): (text: string) => string {
  const list = (typeof secrets === 'string' || secrets === undefined ? [secrets] : secrets).filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const spellings = [...new Set(list.flatMap(secretSpellings))].sort((a, b) => b.length - a.length);
  if (spellings.length === 0) return (text) => text;
  const pattern = new RegExp(spellings.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, marker);
}

/** Query or form parameter names that look like they carry a credential. */
const KEYISH_PARAM =
  /([?&;])([^=&?#;\s]*(?:token|key|secret|pass|pwd|auth|sig|credential)[^=&?#;\s]*)=([^&#;\s]*)/gi;
/**
 * `scheme://…@`: userinfo, up to the line's last `@` (a malformed URL may hold spaces or slashes
 * there; hiding an `@` in a path too is the safe side).
 */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\r\n]*@/gi;

/**
 * Hides the credentials of URLs in `text`, whatever secrets are configured and even when the URL
 * does not parse: userinfo (`user:password@`) and the values of key-like query parameters
 * (`token=`, `api_key=`, `sig=`, `password=`…). For messages that echo a value, e.g. config errors.
 */
export function scrubUrlCredentials(text: string, marker: string = REDACTED): string {
  return text
    .replace(USERINFO, `$1${marker}@`)
    .replace(KEYISH_PARAM, (_m, lead: string, name: string, value: string) =>
      value === '' ? `${lead}${name}=` : `${lead}${name}=${marker}`,
    );
}
