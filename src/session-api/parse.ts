/** Reads the Session API's and signals API's answer bodies in every form Tropo uses: JSON, XML, form. */

/** What a Session API create answer says. */
export type SessionAnswer =
  | { kind: 'success'; id: string }
  | { kind: 'failure'; reason: string | undefined }
  | { kind: 'unrecognised' };

/** What a signals answer says; `status` is upper-cased (`QUEUED`, `NOTFOUND`, …). */
export type SignalAnswer = { kind: 'status'; status: string } | { kind: 'unrecognised' };

/** Reads a create-session answer: `{"success":true,"id":…}`, `<session>…</session>` or `success=true&id=…`. */
export function parseSessionAnswer(body: string): SessionAnswer {
  const fields = readFields(body);
  if (fields === undefined) return { kind: 'unrecognised' };
  const success = fields.success?.trim().toLowerCase();
  const id = fields.id?.trim();
  const reason = nonEmpty(fields.reason ?? fields.error ?? fields.message);
  if (success === 'false') return { kind: 'failure', reason };
  if (success === 'true') return id ? { kind: 'success', id } : { kind: 'unrecognised' };
  // No `success` at all: an id alone is a launch, a reason alone a refusal; anything else is a guess.
  if (id && reason === undefined) return { kind: 'success', id };
  if (!id && reason !== undefined) return { kind: 'failure', reason };
  return { kind: 'unrecognised' };
}

/** Reads a signals answer: `<signal><status>QUEUED</status></signal>`, its JSON or form twin. */
export function parseSignalAnswer(body: string): SignalAnswer {
  const status = nonEmpty(readFields(body)?.status)?.toUpperCase();
  if (status !== undefined) return { kind: 'status', status };
  // Clients in the wild detect an unknown session by this word anywhere in the body (§8.3).
  if (/\bNOTFOUND\b/i.test(body)) return { kind: 'status', status: 'NOTFOUND' };
  return { kind: 'unrecognised' };
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/** The flat name → text pairs of an answer, whatever its form; undefined when it has none. */
function readFields(body: string): Partial<Record<string, string>> | undefined {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) return readJson(text);
  if (text.startsWith('<')) return readXml(text);
  // The Java client saw `A=1&B=2` even when JSON was asked for (§8.2).
  if (/^[\w.-]+=/.test(text)) return Object.fromEntries(new URLSearchParams(text));
  return undefined;
}

function readJson(text: string): Partial<Record<string, string>> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  // The XML form has a root element (`session`, `signal`); accept a JSON twin that kept it.
  const keys = Object.keys(value);
  const only = keys.length === 1 ? value[keys[0] ?? ''] : undefined;
  const record = keys.length === 1 && isRecord(only) ? only : value;
  const fields: Partial<Record<string, string>> = {};
  for (const [key, field] of Object.entries(record)) {
    if (typeof field === 'string') fields[key] = field;
    else if (typeof field === 'number' || typeof field === 'boolean') fields[key] = String(field);
  }
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NAME = '[A-Za-z_][\\w.:-]*';
// Tropo's XML answers are one root holding flat text elements; a full XML parser would buy nothing.
const ROOT = new RegExp(`^<(${NAME})(?:\\s[^>]*)?>([\\s\\S]*)</\\1\\s*>$`);
const CHILD = new RegExp(`<(${NAME})(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</\\1\\s*>)`, 'g');

function readXml(text: string): Partial<Record<string, string>> | undefined {
  const stripped = text
    .replace(/^<\?xml[\s\S]*?\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const root = ROOT.exec(stripped);
  if (!root) return undefined;
  const fields: Partial<Record<string, string>> = {};
  for (const child of (root[2] ?? '').matchAll(CHILD)) {
    const [, name, content] = child;
    if (name !== undefined && !(name in fields)) fields[name] = xmlText(content ?? '');
  }
  return fields;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function xmlText(content: string): string {
  return content.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi,
    (match, cdata: string | undefined, entity: string | undefined) => {
      if (cdata !== undefined) return cdata;
      if (entity === undefined) return match;
      if (entity.startsWith('#')) {
        const code =
          entity[1] === 'x' || entity[1] === 'X'
            ? parseInt(entity.slice(2), 16)
            : parseInt(entity.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : match;
      }
      return ENTITIES[entity.toLowerCase()] ?? match;
    },
  );
}
