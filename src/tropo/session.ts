/** Reading the first POST of a session, `{"session":{…}}`, into a normalised, typed `Session` (spec §6). */
import * as z from 'zod';
import { CHANNELS, type Channel } from './fields';
import { describeValue, type Parsed, type Segment } from './issues';
import { hasOwn, isObject, setOwn, type JsonObject } from './json';
import { payloadLimitProblem } from './limits';
import {
  nullableStringLike,
  PayloadReader,
  plainString,
  stringLike,
  toText,
  sessionIdProblem,
} from './read';

/** A caller-ID object: who called (`from`) or which address was called (`to`). */
export interface CallerId {
  /** The number or address as Tropo sees it (no `+`). */
  id: string;
  e164Id?: string;
  /** Often `"unknown"`, an IP or a host name; null when Tropo sends none. */
  name: string | null;
  channel?: Channel;
  /** `PSTN`, `SIP`, `VOIP`, `SMS`… in upper case. */
  network?: string;
}

const initialMediaSchema = z.object({
  status: z.string(),
  media: z.string().optional(),
  text: z.string().optional(),
  disposition: z.string().optional(),
});
/** One inbound MMS attachment: a media URL or inline text, and whether Tropo got it. */
export type InitialMedia = z.output<typeof initialMediaSchema>;

/** How the session started: an inbound call, an inbound text, or the Session API with a token. */
export type SessionKind = 'voice' | 'text' | 'token';

/** A session, normalised: always the same keys, whatever era of Tropo sent it. */
export interface Session {
  id: string;
  accountId: string;
  applicationId?: string;
  timestamp: string;
  /** `HUMAN` for inbound sessions, `NONE` for token-launched ones. */
  userType: string;
  /** The first text of an inbound text session, else null. */
  initialText: string | null;
  callId: string | null;
  to: CallerId | null;
  from: CallerId | null;
  /** SIP headers, name to value (old array-of-pairs form folded into this). */
  headers: Record<string, string>;
  /** Session API parameters, every value a string (including `token` and `action`). */
  parameters: Record<string, string>;
  subject?: string;
  initialMedia?: InitialMedia[];
  /** The channel of `from` (else `to`); null for token-launched sessions. */
  channel: Channel | null;
  /** The network of `from` (else `to`); null when unknown. */
  network: string | null;
  kind: SessionKind;
}

const nullableString = nullableStringLike;

function readCallerId(
  reader: PayloadReader,
  session: JsonObject,
  key: 'to' | 'from',
): CallerId | null {
  const value = session[key];
  const at: Segment[] = ['session', key];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    reader.warn(at, `expected a caller-ID object; got ${describeValue(value)} (ignored)`);
    return null;
  }
  const id = reader.field(value, 'id', stringLike, at);
  if (id === undefined) {
    reader.warn([...at, 'id'], `missing caller id (the whole "${key}" is ignored)`);
    return null;
  }
  const caller: CallerId = { id, name: reader.field(value, 'name', nullableString, at) ?? null };
  const e164Id = reader.field(value, 'e164Id', stringLike, at);
  if (e164Id !== undefined) caller.e164Id = e164Id;
  const channel = reader.field(value, 'channel', plainString, at)?.toUpperCase();
  if (channel !== undefined) {
    if ((CHANNELS as readonly string[]).includes(channel)) caller.channel = channel as Channel;
    else reader.warn([...at, 'channel'], `unknown channel "${channel}" (ignored)`);
  }
  const network = reader.field(value, 'network', plainString, at);
  if (network !== undefined) caller.network = network.toUpperCase();
  return caller;
}

/** Headers arrive as a map, or (2010 docs) as an array of `{key, value}`; repeated names are joined with CRLF. */
function readHeaders(reader: PayloadReader, value: unknown): Record<string, string> {
  const at: Segment[] = ['session', 'headers'];
  if (!Array.isArray(value)) return reader.stringMap(value, at, false);
  const out: Record<string, string> = {};
  value.forEach((pair: unknown, i) => {
    const name = isObject(pair) ? toText(pair.key, false) : undefined;
    const text = isObject(pair) ? toText(pair.value, false) : undefined;
    if (name === undefined || text === undefined) {
      reader.warn(
        [...at, i],
        `expected {"key":…, "value":…}; got ${describeValue(pair)} (ignored)`,
      );
      return;
    }
    setOwn(out, name, hasOwn(out, name) ? `${out[name]}\r\n${text}` : text);
  });
  return out;
}

function readInitialMedia(reader: PayloadReader, session: JsonObject): InitialMedia[] | undefined {
  const value = session.initialMedia;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    reader.warn(
      ['session', 'initialMedia'],
      `expected an array; got ${describeValue(value)} (ignored)`,
    );
    return undefined;
  }
  const items: InitialMedia[] = [];
  value.forEach((_item: unknown, i: number) => {
    const item = reader.value(value[i], initialMediaSchema, ['session', 'initialMedia', i]);
    if (item !== undefined) items.push(item);
  });
  return items;
}

/**
 * Reads a session POST body. Fails only when there is no `session` object or no `id`; any other
 * field of the wrong type is dropped with a warning, and missing fields get their normal default.
 * Never throws.
 */
export function parseSession(body: unknown): Parsed<Session> {
  const reader = new PayloadReader();
  if (!isObject(body) || !isObject(body.session)) {
    if (isObject(body) && hasOwn(body, 'result')) {
      reader.error(['session'], 'this is a result payload (sent to a "next" URL), not a session');
    } else if (isObject(body)) {
      reader.error(['session'], `expected a "session" object; got ${describeValue(body.session)}`);
    } else {
      reader.error([], `expected an object like {"session":{…}}; got ${describeValue(body)}`);
    }
    return { ok: false, issues: reader.issues };
  }
  const tooLarge = payloadLimitProblem(body.session);
  if (tooLarge) {
    reader.error(['session', ...tooLarge.path], tooLarge.message);
    return { ok: false, issues: reader.issues };
  }
  const s = body.session;
  const at: Segment[] = ['session'];

  const id = s.id;
  const idProblem = id === undefined ? 'missing required field "id"' : sessionIdProblem(id);
  if (idProblem !== undefined || typeof id !== 'string') {
    reader.error(['session', 'id'], idProblem ?? 'expected a string');
    return { ok: false, issues: reader.issues };
  }

  const required = (key: string): string => {
    const value = reader.field(s, key, stringLike, at);
    if (value === undefined && !hasOwn(s, key)) reader.warn([...at, key], `missing field "${key}"`);
    return value ?? '';
  };

  const accountId = required('accountId');
  const timestamp = required('timestamp');
  const initialText = reader.field(s, 'initialText', nullableString, at) ?? null;
  const callId = reader.field(s, 'callId', nullableString, at) ?? null;
  const to = readCallerId(reader, s, 'to');
  const from = readCallerId(reader, s, 'from');
  const hasParameters = isObject(s.parameters);
  const parameters = reader.stringMap(s.parameters, [...at, 'parameters'], true);
  const headers = readHeaders(reader, s.headers);

  let userType = reader.field(s, 'userType', plainString, at)?.toUpperCase();
  if (userType === undefined) {
    userType = hasParameters || from === null ? 'NONE' : 'HUMAN';
    reader.warn([...at, 'userType'], `missing field "userType" (taken as ${userType})`);
  }

  const channel: Channel | null =
    from?.channel ?? to?.channel ?? (typeof initialText === 'string' ? 'TEXT' : null);
  const kind: SessionKind =
    hasParameters || userType === 'NONE' || from === null
      ? 'token'
      : channel === 'TEXT'
        ? 'text'
        : 'voice';

  const session: Session = {
    id,
    accountId,
    timestamp,
    userType,
    initialText,
    callId,
    to,
    from,
    headers,
    parameters,
    channel,
    network: from?.network ?? to?.network ?? null,
    kind,
  };
  const applicationId = reader.field(s, 'applicationId', stringLike, at);
  if (applicationId !== undefined) session.applicationId = applicationId;
  const subject = reader.field(s, 'subject', plainString, at);
  if (subject !== undefined) session.subject = subject;
  const initialMedia = readInitialMedia(reader, s);
  if (initialMedia !== undefined) session.initialMedia = initialMedia;

  return { ok: true, value: session, issues: reader.issues };
}
