/** XML text escaping, shared by what writes XML or SVG (fake-tropo's answers, NLSML, the flow graph). */

/** `text` safe inside XML element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
