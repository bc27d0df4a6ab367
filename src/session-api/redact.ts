/** Removes a secret from text in every spelling it can take on the wire (raw, URL, form, JSON, XML). */

/** What stands in for a secret; the same marker pino's `redact` option writes. */
export const REDACTED = '[Redacted]';

/** Returns a function that replaces every occurrence of `secret` in a text with the marker. */
export function redactor(secret: string | undefined): (text: string) => string {
  if (!secret) return (text) => text;
  const spellings = [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    ]),
  ]
    // Longest first, so a spelling that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text) => spellings.reduce((out, spelling) => out.split(spelling).join(REDACTED), text);
}
