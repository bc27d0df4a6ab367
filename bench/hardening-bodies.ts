/** The hostile bodies of `npm run bench:hardening`: each one as costly as a body of the allowed size can be made, in a different way. */
import { jsonTextLimitProblem, PAYLOAD_LIMITS } from '../src/tropo/limits';
import { BODIES } from './scenarios';

/** BODY_LIMIT_BYTES' default: every hostile body is just under it. */
export const BODY_LIMIT_BYTES = 100 * 1024;
/** The room left for the JSON around the filler. */
const FILL_TO = BODY_LIMIT_BYTES - 64;

/** One request of the hostile-body measurement. */
export interface HostileBody {
  name: string;
  what: string;
  path: string;
  body: string;
}

const START = '/apps/appointment-reminder/start';
const CONTINUE = '/apps/appointment-reminder/on/confirm';

type Json = Record<string, unknown>;
const reminder = (): Json => JSON.parse(BODIES.reminderSession) as Json;
const askResult = (): Json => JSON.parse(BODIES.askResult) as Json;

/**
 * `build(n)` with the largest `n` whose JSON stays within FILL_TO bytes (a binary search, since the
 * size grows with `n`).
 */
function fill(build: (n: number) => unknown): string {
  let low = 0;
  let high = 1;
  const size = (n: number) => Buffer.byteLength(JSON.stringify(build(n)));
  while (size(high) <= FILL_TO) high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (size(mid) <= FILL_TO) low = mid;
    else high = mid;
  }
  return JSON.stringify(build(low));
}

/**
 * The costliest body the server still reads: `build(n)` with the largest `n` that keeps the shape
 * limits (checked by the server's own text check), then padded to FILL_TO bytes with long strings
 * under `pad` (cheap to parse, but bytes to receive), so it is also of the allowed size.
 */
function atLimit(build: (n: number) => Json, pad: 'session' | 'result'): string {
  const fits = (n: number) => {
    const text = JSON.stringify(withPadding(build(n), pad, 0));
    return Buffer.byteLength(text) <= FILL_TO && jsonTextLimitProblem(text) === undefined;
  };
  let low = 0;
  let high = 1;
  while (fits(high) && high < 1 << 20) high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  const bare = Buffer.byteLength(JSON.stringify(withPadding(build(low), pad, 0)));
  return JSON.stringify(withPadding(build(low), pad, Math.max(0, FILL_TO - bare)));
}

/** `body` with a `padding` array of strings of `chars` characters in all under its `key`. */
function withPadding(body: Json, key: 'session' | 'result', chars: number): Json {
  const max = PAYLOAD_LIMITS.maxStringLength;
  const strings = times(Math.ceil(chars / max), (i) => 'p'.repeat(Math.min(max, chars - i * max)));
  // The quotes and commas of the strings take bytes too.
  const overhead = strings.length * 3;
  if (strings.length > 0) {
    const last = strings.length - 1;
    strings[last] = (strings[last] ?? '').slice(
      0,
      Math.max(0, (strings[last] ?? '').length - overhead),
    );
  }
  return { [key]: { ...(body[key] as Json), padding: strings } };
}

/** A reminder session with `extra` merged into its `session`. */
function session(extra: (n: number) => Json): (n: number) => Json {
  return (n) => {
    const base = reminder();
    return { session: { ...(base.session as Json), ...extra(n) } };
  };
}

/** An ask result with `extra` merged into its `result`. */
function result(extra: (n: number) => Json): (n: number) => Json {
  return (n) => {
    const base = askResult();
    return { result: { ...(base.result as Json), ...extra(n) } };
  };
}

const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));

/**
 * A reminder session whose `field` is `open` × n, `middle`, `close` × n, with the largest n that
 * fits: written as text, since JSON.stringify recurses and could not write it.
 */
function nested(field: string, open: string, middle: string, close: string): string {
  const base = JSON.stringify(session(() => ({ [field]: '@@' }))(0));
  const n = Math.floor((FILL_TO - base.length - middle.length) / (open.length + close.length));
  return base.replace('"@@"', `${open.repeat(n)}${middle}${close.repeat(n)}`);
}

/** 255 objects (within the item limit) of `keys` fields of the wrong type each. */
const invalidObjects = (count: number, keys: number) =>
  times(count, () => Object.fromEntries(times(keys, (k) => [`k${k}`, [k]])));

/** Every hostile body, with what it tries. */
export function hostileBodies(): HostileBody[] {
  const bodies: HostileBody[] = [
    {
      name: 'packed-array',
      what: 'initialMedia holds ~50,000 invalid items (0)',
      path: START,
      body: fill(session((n) => ({ initialMedia: times(n, () => 0) }))),
    },
    {
      name: 'packed-strings',
      what: 'initialMedia holds ~25,000 one-letter strings',
      path: START,
      body: fill(session((n) => ({ initialMedia: times(n, () => 'a') }))),
    },
    {
      name: 'invalid-items',
      what: '255 initialMedia objects (the most allowed) of wrong-typed fields',
      path: START,
      body: fill(
        session((n) => ({ initialMedia: invalidObjects(255, Math.max(1, Math.floor(n / 255))) })),
      ),
    },
    {
      name: 'nested-items',
      what: 'up to 255 initialMedia arrays of up to 255 zeros each',
      path: START,
      body: fill(
        session((n) => ({
          initialMedia: times(Math.min(255, Math.ceil(n / 255)), (i) =>
            times(Math.min(255, n - i * 255), () => 0),
          ),
        })),
      ),
    },
    {
      name: 'invalid-headers',
      what: '255 SIP headers whose values are arrays (invalid), as many items as fit',
      path: START,
      body: fill(
        session((n) => ({
          headers: Object.fromEntries(
            times(255, (h) => [`x-h${h}`, times(Math.floor(n / 255), () => 1)]),
          ),
        })),
      ),
    },
    {
      name: 'object-parameters',
      what: '255 Session API parameters whose values are objects (each stringified)',
      path: START,
      body: fill(
        session((n) => ({
          parameters: Object.fromEntries(
            times(255, (p) => [`p${p}`, times(Math.floor(n / 255), (i) => ({ i }))]),
          ),
        })),
      ),
    },
    {
      name: 'deep-arrays',
      what: 'initialMedia nested ~50,000 arrays deep',
      path: START,
      body: nested('initialMedia', '[', '', ']'),
    },
    {
      name: 'deep-objects',
      what: 'a session field nested ~14,000 objects deep',
      path: START,
      body: nested('extra', '{"a":', '{}', '}'),
    },
    {
      name: 'long-strings',
      what: 'msg and another parameter as long as the body allows (64K-character cap)',
      path: START,
      body: fill(
        session((n) => ({
          parameters: {
            ...((reminder().session as Json).parameters as Json),
            msg: 'm'.repeat(Math.min(n, 64 * 1024)),
            other: 'o'.repeat(Math.max(0, n - 64 * 1024)),
          },
        })),
      ),
    },
    {
      name: 'escaped-string',
      what: 'msg of NUL characters, each written \\u0000 (6 bytes of JSON per character)',
      path: START,
      body: fill(
        session((n) => ({
          parameters: {
            ...((reminder().session as Json).parameters as Json),
            msg: '\u0000'.repeat(n),
          },
        })),
      ),
    },
    {
      name: 'result-actions',
      what: 'a continuation whose actions array holds 255 objects of wrong-typed fields',
      path: CONTINUE,
      body: fill(
        result((n) => ({ actions: invalidObjects(255, Math.max(1, Math.floor(n / 255))) })),
      ),
    },
    {
      name: 'result-packed',
      what: 'a continuation whose actions array holds ~50,000 zeros',
      path: CONTINUE,
      body: fill(result((n) => ({ actions: times(n, () => 0) }))),
    },
  ];
  bodies.push(...atLimitBodies());
  for (const b of bodies) {
    const bytes = Buffer.byteLength(b.body);
    if (bytes > BODY_LIMIT_BYTES) throw new Error(`${b.name} is ${bytes} bytes, over the limit`);
  }
  return bodies;
}

/**
 * Bodies at the shape limits (4096 keys and values, 256 items in one array or object, depth 32),
 * padded to the allowed size: the worst the server reads rather than refuses.
 */
function atLimitBodies(): HostileBody[] {
  const wrongMedia = (k: number) => Object.fromEntries(times(k, (f) => [`f${f}`, f]));
  return [
    {
      name: 'limit-media',
      what: '255 initialMedia objects of wrong-typed fields, as many as the limits allow, padded',
      path: START,
      body: atLimit(
        session((n) => ({
          initialMedia: times(255, () => ({ status: 1, media: 2, text: 3, ...wrongMedia(n) })),
        })),
        'session',
      ),
    },
    {
      name: 'limit-headers',
      what: '255 SIP headers whose values are arrays of numbers (invalid), padded',
      path: START,
      body: atLimit(
        session((n) => ({
          headers: Object.fromEntries(times(255, (h) => [`x-h${h}`, times(n, () => 1)])),
        })),
        'session',
      ),
    },
    {
      name: 'limit-parameters',
      what: '255 Session API parameters whose values are arrays of objects (each stringified), padded',
      path: START,
      body: atLimit(
        session((n) => ({
          parameters: {
            ...((reminder().session as Json).parameters as Json),
            ...Object.fromEntries(times(250, (p) => [`p${p}`, times(n, (i) => ({ i }))])),
          },
        })),
        'session',
      ),
    },
    {
      name: 'limit-nesting',
      what: 'initialMedia of arrays nested 30 deep, as many as the limits allow, padded',
      path: START,
      body: atLimit(
        session((n) => {
          const chain = (): unknown => {
            let node: unknown = [0];
            for (let d = 0; d < 28; d++) node = [node];
            return node;
          };
          return { initialMedia: times(n, chain) };
        }),
        'session',
      ),
    },
    {
      name: 'limit-actions',
      what: 'a continuation with 255 actions of wrong-typed fields, as many as allowed, padded',
      path: CONTINUE,
      body: atLimit(
        result((n) => ({
          actions: times(255, (a) => ({
            name: a,
            attempts: 'x',
            disposition: 1,
            ...wrongMedia(n),
          })),
        })),
        'result',
      ),
    },
  ];
}

/** The normal session every hostile body is compared with: the reminder start of `npm run bench`. */
export const NORMAL: HostileBody = {
  name: 'normal',
  what: 'the reminder start of npm run bench (a real Tropo payload)',
  path: START,
  body: BODIES.reminderSession,
};
