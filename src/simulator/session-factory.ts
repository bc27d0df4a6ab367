/**
 * Builds the `{"session":{…}}` document Tropo POSTs to an app's start URL (§6) for the three ways a
 * session starts: an inbound call, an inbound text, and the Session API (token-launched).
 *
 * Following §6's recommendation, every key that applies to the kind of session is always present
 * (`initialText` and `callId` as explicit nulls), ids are 32 hex digits and `headers` is an object.
 * Caller ids: phone numbers on PSTN/SMS are normalised (`+1 415-555-1212` → id `14155551212`,
 * e164Id `+14155551212`, name the E.164 form on voice as in the 2011 capture, null on SMS as in the
 * 2013 capture); SIP addresses keep their user part in id, e164Id and name, as in the 2017 fixtures.
 */
import { toE164 } from '../sdk/phone';
import {
  type Clock,
  type RandomBytes,
  isoTimestamp,
  newTropoId,
  randomDigits,
  randomHex,
  systemClock,
  systemRandomBytes,
} from './ids';

/** Voice networks an inbound call can arrive on. */
export type VoiceNetwork = 'PSTN' | 'SIP' | 'VOIP';

/** The caller-id object of `session.to` / `session.from` (§6.2). */
export interface CallerIdObject {
  id: string;
  e164Id: string;
  name: string | null;
  channel: 'VOICE' | 'TEXT';
  network: string;
}

/** Keys shared by every session document. */
interface SessionBase {
  id: string;
  accountId: string;
  applicationId: string;
  timestamp: string;
}

/** `session` of an inbound call or text. */
export interface InboundSession extends SessionBase {
  userType: 'HUMAN';
  initialText: string | null;
  callId: string;
  to: CallerIdObject;
  from: CallerIdObject;
  headers: Record<string, string>;
}

/** `session` of a session started through the Session API. */
export interface TokenSession extends SessionBase {
  userType: 'NONE';
  initialText: null;
  callId: null;
  parameters: Record<string, string>;
}

/** The body of the first POST of a session. */
export interface SessionPayload {
  session: InboundSession | TokenSession;
}

/** Settings common to every kind of session. */
export interface SessionCommon {
  /** Numeric string; random when absent. */
  accountId?: string | undefined;
  /** Numeric string; random when absent. */
  applicationId?: string | undefined;
}

/** An inbound voice call. */
export interface InboundVoiceSpec extends SessionCommon {
  kind: 'voice';
  /** The caller: a phone number, `tel:` URI or `sip:` address. */
  from: string;
  /** The number or address that was called. */
  to: string;
  /** Default: SIP for `sip:` addresses, PSTN otherwise. */
  network?: VoiceNetwork | undefined;
  fromName?: string | null | undefined;
  toName?: string | null | undefined;
  /** Extra or replacement SIP headers. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** An inbound SMS that starts a session (§9.6). */
export interface InboundTextSpec extends SessionCommon {
  kind: 'text';
  from: string;
  to: string;
  /** The message; becomes `initialText`. */
  text: string;
  fromName?: string | null | undefined;
  toName?: string | null | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
}

/** A session launched through the Session API with an application token (§8). */
export interface TokenSpec extends SessionCommon {
  kind: 'token';
  token: string;
  /** Extra Session API parameters; values are stringified as Tropo does. */
  parameters?: Readonly<Record<string, unknown>> | undefined;
  /** Whether `parameters.action` is "create" (always so for GET requests); default true. */
  includeAction?: boolean | undefined;
}

/** What kind of session to build. */
export type SessionSpec = InboundVoiceSpec | InboundTextSpec | TokenSpec;

/** Injectable time and randomness. */
export interface SessionFactoryDeps {
  clock?: Clock | undefined;
  random?: RandomBytes | undefined;
}

/** A session specification that cannot be turned into a Tropo session. */
export class SessionSpecError extends Error {
  override readonly name = 'SessionSpecError';
}

/** Type guard for `SessionSpecError`. */
export function isSessionSpecError(error: unknown): error is SessionSpecError {
  return error instanceof SessionSpecError;
}

// Documentation address ranges (RFC 5737), so generated headers never name a real host.
const TROPO_SIP_IP = '198.51.100.10';
const TROPO_PROXY_IP = '198.51.100.20';
const CALLER_IP = '203.0.113.5';
const SMSC_IP = '203.0.113.40';
/** Length of the SDP offer a softphone typically sends; no body travels in the simulation. */
const SDP_OFFER_LENGTH = '335';

/** Stringifies one Session API parameter the way Tropo delivers it: values are always strings. */
export function stringifyParameter(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null) return 'null';
  return JSON.stringify(value) ?? '';
}

function sipUserPart(address: string): string {
  const rest = address.replace(/^sips?:/i, '');
  const at = rest.indexOf('@');
  const user = at === -1 ? rest : rest.slice(0, at);
  return user.split(';')[0] ?? user;
}

/** Builds a caller-id object (§6.2) for an address on the given channel and network. */
export function callerId(
  address: string,
  channel: 'VOICE' | 'TEXT',
  network: string,
  name?: string | null,
): CallerIdObject {
  const trimmed = address.trim();
  if (trimmed === '') throw new SessionSpecError('a caller address must not be empty');
  const withName = (id: string, e164Id: string, defaultName: string | null): CallerIdObject => ({
    id,
    e164Id,
    name: name === undefined ? defaultName : name,
    channel,
    network,
  });

  if (/^sips?:/i.test(trimmed)) {
    const user = sipUserPart(trimmed);
    if (user === '') throw new SessionSpecError(`"${address}" has no user part`);
    return withName(user, user, channel === 'VOICE' ? user : null);
  }
  const bare = trimmed.replace(/^tel:/i, '');
  // The server's own reading of a phone number, so the simulator and the apps agree on it.
  const e164 = network === 'SIP' ? undefined : toE164(bare);
  if (e164 !== undefined) return withName(e164.slice(1), e164, channel === 'VOICE' ? e164 : null);
  const id = /^\+\d+$/.test(bare) ? bare.slice(1) : bare;
  return withName(id, id, channel === 'VOICE' ? id : null);
}

function checkNumericId(label: string, value: string | undefined, fallback: () => string): string {
  if (value === undefined) return fallback();
  if (!/^\d+$/.test(value)) {
    throw new SessionSpecError(`${label} must be a numeric string, got "${value}"`);
  }
  return value;
}

function voiceHeaders(
  from: CallerIdObject,
  to: CallerIdObject,
  random: RandomBytes,
): Record<string, string> {
  const fromUser = from.network === 'SIP' ? from.id : from.e164Id;
  const toUser = to.network === 'SIP' ? to.id : to.e164Id;
  return {
    'Call-ID': randomHex(32, random),
    CSeq: '1 INVITE',
    'Max-Forwards': '69',
    'Request URI': `sip:${toUser}@${TROPO_SIP_IP};x-rt=0`,
    'Record-Route': `<sip:${TROPO_PROXY_IP}:5060;transport=udp;lr>`,
    'x-sid': randomHex(32, random),
    'User-Agent': 'tropo-app-server simulator',
    From: `<sip:${fromUser}@${TROPO_SIP_IP}>;tag=${randomHex(8, random)}`,
    Supported: 'replaces',
    // Multi-valued SIP headers arrive joined with CRLF (§6.1).
    Allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'REFER', 'INFO', 'OPTIONS', 'MESSAGE'].join('\r\n'),
    Via: [
      `SIP/2.0/UDP ${TROPO_PROXY_IP}:5060;branch=z9hG4bK${randomHex(13, random)};rport=5060`,
      `SIP/2.0/UDP ${CALLER_IP}:5060;branch=z9hG4bK-${randomHex(16, random)};rport=5060`,
    ].join('\r\n'),
    Contact: `<sip:${fromUser}@${CALLER_IP}:5060>`,
    To: `<sip:${toUser}@${TROPO_SIP_IP}>`,
    'Content-Length': SDP_OFFER_LENGTH,
    'Content-Type': 'application/sdp',
  };
}

function textHeaders(
  from: CallerIdObject,
  to: CallerIdObject,
  text: string,
  random: RandomBytes,
): Record<string, string> {
  // Shaped after the 2010 inbound-SMS capture, where the message also rides in the From header.
  return {
    'Max-Forwards': '70',
    'Content-Length': String(Buffer.byteLength(text, 'utf8')),
    Contact: `<sip:${SMSC_IP}:5066;transport=udp>`,
    To: `<sip:${to.id}@${TROPO_SIP_IP}:5061;to=${to.id}>`,
    CSeq: '1 INVITE',
    Via: `SIP/2.0/UDP ${SMSC_IP}:5066;branch=z9hG4bK${randomHex(6, random)}`,
    'Call-ID': randomHex(6, random),
    'Content-Type': 'application/sdp',
    From:
      `<sip:${randomHex(32, random).toUpperCase()}@${SMSC_IP};channel=private;user=${from.id}` +
      `;msg=${encodeURIComponent(text)};network=SMS;step=1>;tag=${randomHex(6, random)}`,
  };
}

/** Builds the session document for `spec`; throws `SessionSpecError` for unusable input. */
export function createSession(spec: SessionSpec, deps: SessionFactoryDeps = {}): SessionPayload {
  const random = deps.random ?? systemRandomBytes;
  const clock = deps.clock ?? systemClock;
  const id = newTropoId(random);
  const accountId = checkNumericId('accountId', spec.accountId, () => randomDigits(5, random));
  const applicationId = checkNumericId('applicationId', spec.applicationId, () =>
    randomDigits(7, random),
  );
  const timestamp = isoTimestamp(clock);

  switch (spec.kind) {
    case 'token': {
      if (spec.token.trim() === '') throw new SessionSpecError('the token must not be empty');
      const includeAction = spec.includeAction ?? true;
      const entries: [string, string][] = [['token', spec.token]];
      if (includeAction) entries.push(['action', 'create']);
      for (const [key, value] of Object.entries(spec.parameters ?? {})) {
        // The explicit token and the Session API's own action take precedence over look-alikes.
        if (key === 'token' || (key === 'action' && includeAction)) continue;
        if (value === undefined) continue;
        entries.push([key, stringifyParameter(value)]);
      }
      // fromEntries defines own properties, so even a parameter named __proto__ stays data.
      const parameters: Record<string, string> = Object.fromEntries(entries);
      return {
        session: {
          id,
          accountId,
          applicationId,
          timestamp,
          userType: 'NONE',
          initialText: null,
          callId: null,
          parameters,
        },
      };
    }
    case 'voice': {
      const network: VoiceNetwork =
        spec.network ?? (/^sips?:/i.test(spec.from.trim()) ? 'SIP' : 'PSTN');
      const from = callerId(spec.from, 'VOICE', network, spec.fromName);
      const to = callerId(spec.to, 'VOICE', network, spec.toName);
      const callId = newTropoId(random);
      return {
        session: {
          id,
          accountId,
          applicationId,
          timestamp,
          userType: 'HUMAN',
          initialText: null,
          callId,
          to,
          from,
          headers: { ...voiceHeaders(from, to, random), ...spec.headers },
        },
      };
    }
    case 'text': {
      const from = callerId(spec.from, 'TEXT', 'SMS', spec.fromName);
      const to = callerId(spec.to, 'TEXT', 'SMS', spec.toName);
      const callId = newTropoId(random);
      return {
        session: {
          id,
          accountId,
          applicationId,
          timestamp,
          userType: 'HUMAN',
          initialText: spec.text,
          callId,
          to,
          from,
          headers: { ...textHeaders(from, to, spec.text, random), ...spec.headers },
        },
      };
    }
  }
}
