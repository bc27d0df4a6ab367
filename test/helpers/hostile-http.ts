/**
 * Hostile HTTP requests for the fuzz suites: fast-check arbitraries for bodies, paths, headers and
 * methods; a raw sender that puts exact bytes on the wire; and the invariants every answer must keep.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { errorCatalogue } from '../../src/server/errors';
import { validateDocument } from '../../src/tropo';
import { findPlantedSecrets, PLANTED } from './secret-scan';
import { fixture } from './test-app';

/** One request exactly as it goes on the wire. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What kind of hostility the body is, for the counts. */
  kind: string;
}

/** A request that fast-check prints briefly (a counterexample may hold megabytes). */
export function hostileRequest(fields: HostileRequest): HostileRequest {
  return Object.assign(fields, {
    [fc.toStringMethod]: () => {
      const preview = fields.body.subarray(0, 160).toString('latin1');
      return `${fields.method} ${fields.path.slice(0, 160)} [${fields.kind}] ${JSON.stringify(fields.headers).slice(0, 200)} body ${fields.body.length} bytes: ${JSON.stringify(preview)}`;
    },
  });
}

/** An answer as it came off the wire. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Bodies.

/** Real payloads the mutations start from; token-launched sessions carry the planted token. */
function withPlantedToken(body: Record<string, unknown>): Record<string, unknown> {
  const session = body.session as { parameters?: Record<string, unknown> } | undefined;
  if (session?.parameters && 'token' in session.parameters) {
    session.parameters.token = PLANTED.sessionToken;
  }
  return body;
}

export const SESSION_FIXTURES: readonly Record<string, unknown>[] = [
  'reminder-session.json',
  'reminder-confirm-session.json',
  'sms-relay-session.json',
  'inbound-voice-session.json',
  'inbound-text-session.json',
].map((name) => withPlantedToken(fixture(`requests/${name}`)));

export const RESULT_FIXTURES: readonly Record<string, unknown>[] = [
  'confirm-pressed-1-result.json',
  'confirm-pressed-2-result.json',
  'confirm-timeout-result.json',
  'ivr-choice-result.json',
  'ivr-hangup-result.json',
].map((name) => fixture(`requests/${name}`));

export const LAUNCH_FIXTURES: readonly Record<string, unknown>[] = [
  { app: 'appointment-reminder', parameters: { numberToDial: '14075551212', msg: 'Hi' } },
  { app: 'sms-relay', parameters: { numberToDial: '+14155550123', msg: 'Hello there' } },
  {
    app: 'appointment-reminder',
    parameters: { numberToDial: '14075551212', msg: 'x', confirm: 'true' },
  },
];

const HOLE = '"@@hostile-hole@@"';

/** Every path to a value inside a JSON value, the root included. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  }
  return out;
}

/** The JSON text of `base` with the value at `path` replaced by the JSON text `fragment`. */
function splice(base: unknown, path: readonly (string | number)[], fragment: string): string {
  if (path.length === 0) return fragment;
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = JSON.parse(HOLE);
  return JSON.stringify(copy).replace(HOLE, () => fragment);
}

const deepArrays = fc.integer({ min: 100, max: 15_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const deepObjects = fc
  .integer({ min: 100, max: 15_000 })
  .map((n) => '{"a":'.repeat(n) + '0' + '}'.repeat(n));
const hugeString = fc
  .integer({ min: 10_000, max: 200_000 })
  .chain((n) =>
    fc.constantFrom(`"${'x'.repeat(n)}"`, `"${'é'.repeat(n / 2)}"`, `"${'\\u0000'.repeat(n / 6)}"`),
  );
const protoKeys = fc.constantFrom(
  '{"__proto__":{"app":"ivr-menu","polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null,"toString":1,"hasOwnProperty":"x","valueOf":[]}',
  '[{"__proto__":{"length":1e9}}]',
);
const oddScalars = fc.constantFrom(
  '1e999',
  '-0',
  '123456789012345678901234567890',
  'null',
  'true',
  '""',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\u0000\\u001f"',
  '"../../etc/passwd"',
  '"%s%s%n${{7*7}}{{constructor}}"',
  '"<speak>hi</speak>"',
  '"http://127.0.0.1/a.wav"',
  '"tel:+1"',
  '"+99999999999999999999"',
);

/** A JSON text that is hostile as a value: wrong types, deep nesting, huge strings, prototype keys. */
export const hostileFragment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'), weight: 4 },
  { arbitrary: oddScalars, weight: 3 },
  { arbitrary: protoKeys, weight: 2 },
  { arbitrary: deepArrays, weight: 1 },
  { arbitrary: deepObjects, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

/** Invalid UTF-8: lone continuation bytes, overlong forms, surrogates, truncated sequences. */
const invalidUtf8 = fc.oneof(
  fc.constantFrom(
    Buffer.from([0xff]),
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xe2, 0x28, 0xa1]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
    Buffer.from([0xf0, 0x9f, 0x98]),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((a) => Buffer.from(a)),
);

const GZIP_BOMB = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));

/** A body with its kind, and the content type and encoding to send it with (undefined: none). */
interface Body {
  kind: string;
  body: Buffer;
  contentEncoding?: string;
}

/** Hostile bodies grown from `bases` (real payloads for the route). */
export function hostileBody(bases: readonly unknown[]): fc.Arbitrary<Body> {
  const base = fc.constantFrom(...bases);
  const valid = base.map((b): Body => ({ kind: 'valid', body: Buffer.from(JSON.stringify(b)) }));
  const mutated = base
    .chain((b) => fc.tuple(fc.constant(b), fc.constantFrom(...pathsOf(b)), hostileFragment))
    .map(([b, path, fragment]): Body => ({
      kind: 'mutated',
      body: Buffer.from(splice(b, path, fragment)),
    }));
  const broken = base.chain((b) => {
    const text = JSON.stringify(b);
    return fc
      .oneof(
        fc.integer({ min: 0, max: text.length - 1 }).map((cut) => text.slice(0, cut)),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '{',
          '{"session":',
          '{"result":}',
          '[1,]',
          "{'a':1}",
          'NaN',
          'undefined',
          '\u0000',
        ),
        fc
          .tuple(
            fc.integer({ min: 0, max: text.length - 1 }),
            fc.string({ minLength: 1, maxLength: 3 }),
          )
          .map(([at, junk]) => text.slice(0, at) + junk + text.slice(at)),
      )
      .map((t): Body => ({ kind: 'broken', body: Buffer.from(t) }));
  });
  const badUtf8 = base.chain((b) => {
    const text = Buffer.from(JSON.stringify(b));
    return fc
      .tuple(fc.integer({ min: 0, max: text.length }), invalidUtf8)
      .map(([at, bytes]): Body => ({
        kind: 'invalid-utf8',
        body: Buffer.concat([text.subarray(0, at), bytes, text.subarray(at)]),
      }));
  });
  const randomBytes = fc
    .uint8Array({ maxLength: 512 })
    .map((a): Body => ({ kind: 'random-bytes', body: Buffer.from(a) }));
  const empty = fc.constant<Body>({ kind: 'empty', body: Buffer.alloc(0) });
  const huge = fc.integer({ min: 1, max: 3 }).map((mb): Body => ({
    kind: 'multi-megabyte',
    body: Buffer.from(JSON.stringify({ session: { id: 'x', pad: 'y'.repeat(mb * 1024 * 1024) } })),
  }));
  const encoded = fc.oneof(
    base.chain((b) =>
      fc.constantFrom<Body>(
        { kind: 'gzip', body: gzipSync(JSON.stringify(b)), contentEncoding: 'gzip' },
        { kind: 'deflate', body: deflateSync(JSON.stringify(b)), contentEncoding: 'deflate' },
        { kind: 'br', body: brotliCompressSync(JSON.stringify(b)), contentEncoding: 'br' },
        { kind: 'mislabelled-gzip', body: Buffer.from(JSON.stringify(b)), contentEncoding: 'gzip' },
        {
          kind: 'unknown-encoding',
          body: Buffer.from(JSON.stringify(b)),
          contentEncoding: 'compress',
        },
        {
          kind: 'truncated-gzip',
          body: gzipSync(JSON.stringify(b)).subarray(0, 12),
          contentEncoding: 'gzip',
        },
      ),
    ),
    fc.constant<Body>({ kind: 'gzip-bomb', body: GZIP_BOMB, contentEncoding: 'gzip' }),
  );
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: mutated, weight: 8 },
    { arbitrary: broken, weight: 3 },
    { arbitrary: badUtf8, weight: 2 },
    { arbitrary: randomBytes, weight: 1 },
    { arbitrary: empty, weight: 1 },
    { arbitrary: encoded, weight: 2 },
    { arbitrary: huge, weight: 1 },
  );
}

/** Content types, right, wrong and absurd (undefined: no header). */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json; charset=UTF-16',
      'application/json; charset=latin1',
      'application/json; charset=bogus',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      '*/*',
      'application/json; charset="',
      ';;;',
    ),
    weight: 3,
  },
  {
    arbitrary: fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------
// Paths.

/** Path segments a caller could try: real names, traversal, prototype names, broken percent-encodings. */
export function segment(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...real), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'hasOwnProperty',
        'prototype',
        '..',
        '%2e%2e',
        '..%2f..%2fetc%2fpasswd',
        '%',
        '%E0%A4%A',
        '%ff',
        '%00',
        '%C0%AF',
        'a%2Fb',
        '%25',
        '',
        'x'.repeat(5000),
      ),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent), weight: 2 },
  );
}

/** The planted webhook secret as `?key=`, sometimes, with other query noise. */
export const query: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '',
  `?key=${encodeURIComponent(PLANTED.webhookSecret)}`,
  `?key=${encodeURIComponent(PLANTED.webhookSecret)}&key=x`,
  '?key=wrong',
  '?%zz=1',
  '?a[b][c]=1&a[__proto__][x]=1',
);

// ---------------------------------------------------------------------------------------------
// Routes.

/** Statuses a Tropo-facing route may answer. */
export const TROPO_STATUSES = [200, 400, 404, 413, 415] as const;
/** Statuses the launch API may answer (401 without the key). */
export const API_STATUSES = [200, 400, 401, 404, 413, 415] as const;

const APPS = ['appointment-reminder', 'ivr-menu', 'sms-relay', 'quickstart'];
const HANDLERS = ['confirm', 'incomplete', 'choice', 'hangup'];

/** A route (or family of paths) to fuzz, with the statuses it may answer. */
export interface Route {
  name: string;
  allowed: readonly number[];
  tropo: boolean;
  request: fc.Arbitrary<HostileRequest>;
}

function requests(
  method: fc.Arbitrary<string>,
  path: fc.Arbitrary<string>,
  bases: readonly unknown[],
  headers: fc.Arbitrary<Record<string, string>> = fc.constant({}),
): fc.Arbitrary<HostileRequest> {
  return fc
    .record({ method, path, body: hostileBody(bases), type: contentType, headers })
    .map(({ method: m, path: p, body, type, headers: h }) =>
      hostileRequest({
        method: m,
        path: p,
        kind: body.kind,
        body: body.body,
        headers: {
          ...h,
          ...(type === undefined ? {} : { 'content-type': type }),
          ...(body.contentEncoding ? { 'content-encoding': body.contentEncoding } : {}),
        },
      }),
    );
}

const bearer = { authorization: `Bearer ${PLANTED.apiKey}` };
const badAuthorization = fc.constantFrom<Record<string, string>>(
  {},
  { authorization: 'Bearer' },
  { authorization: 'Bearer wrong-key' },
  { authorization: `Bearer ${PLANTED.apiKey}x` },
  { authorization: `bearer  ${PLANTED.apiKey.slice(0, -1)}` },
  { authorization: `Basic ${Buffer.from(`user:${PLANTED.apiKey}`).toString('base64')}` },
  { authorization: `Bearer ${'A'.repeat(8000)}` },
);

/** Every route the server has, as hostile request generators. */
export const ROUTES: Route[] = [
  {
    name: 'POST /start',
    allowed: TROPO_STATUSES,
    tropo: true,
    request: requests(
      fc.constant('POST'),
      query.map((q) => `/start${q}`),
      SESSION_FIXTURES,
    ),
  },
  {
    name: 'POST /apps/:app/start',
    allowed: TROPO_STATUSES,
    tropo: true,
    request: requests(
      fc.constant('POST'),
      fc.tuple(segment(APPS), query).map(([app, q]) => `/apps/${app}/start${q}`),
      SESSION_FIXTURES,
    ),
  },
  {
    name: 'POST /apps/:app/on/:handler',
    allowed: TROPO_STATUSES,
    tropo: true,
    request: requests(
      fc.constant('POST'),
      fc
        .tuple(segment(APPS), segment(HANDLERS), query)
        .map(([app, handler, q]) => `/apps/${app}/on/${handler}${q}`),
      RESULT_FIXTURES,
    ),
  },
  {
    name: 'GET|POST|HEAD /apps/:name.json',
    allowed: TROPO_STATUSES,
    tropo: true,
    request: requests(
      fc.constantFrom('GET', 'POST', 'HEAD'),
      fc.tuple(segment(['quickstart']), query).map(([name, q]) => `/apps/${name}.json${q}`),
      SESSION_FIXTURES,
    ),
  },
  {
    name: 'POST /api/sessions with the key',
    allowed: API_STATUSES,
    tropo: false,
    request: requests(
      fc.constant('POST'),
      fc.constant('/api/sessions'),
      LAUNCH_FIXTURES,
      fc.constant(bearer),
    ),
  },
  {
    name: 'POST /api/sessions without the key',
    allowed: [401, 400, 413, 415],
    tropo: false,
    request: requests(
      fc.constant('POST'),
      fc.constant('/api/sessions'),
      LAUNCH_FIXTURES,
      badAuthorization,
    ),
  },
  {
    name: 'other methods and unknown paths',
    allowed: [400, 404, 413, 415],
    tropo: false,
    request: requests(
      fc.constantFrom(
        'PUT',
        'DELETE',
        'PATCH',
        'OPTIONS',
        'HEAD',
        'GET',
        'POST',
        'PROPFIND',
        'FOO',
      ),
      fc.oneof(
        fc.constantFrom(
          '/start',
          '/apps/ivr-menu/on/choice',
          '/api/sessions',
          '/apps/ivr-menu/start',
        ),
        fc
          .tuple(segment(['nowhere', 'apps', 'admin']), segment(['x', '.env']))
          .map(([a, b]) => `/${a}/${b}`),
      ),
      SESSION_FIXTURES,
    ),
  },
];

const OPERATOR_PATHS = ['/apps', '/healthz', '/readyz'];

const KEY = `key=${encodeURIComponent(PLANTED.webhookSecret)}`;

/**
 * The Tropo routes of a server with WEBHOOK_SECRET set: without the key (and, for continuations,
 * the signature the server wrote into its next URLs) nothing may get past the guard.
 */
export const GUARDED_ROUTE: Route = {
  name: 'Tropo routes behind WEBHOOK_SECRET',
  allowed: [200, 400, 401, 403, 404, 413, 415],
  tropo: true,
  request: requests(
    fc.constantFrom('POST', 'GET'),
    fc
      .tuple(
        fc.constantFrom(
          '/start',
          '/apps/ivr-menu/start',
          '/apps/ivr-menu/on/choice',
          '/apps/appointment-reminder/on/confirm',
          '/apps/quickstart.json',
          '/apps/%zz/start',
        ),
        fc.constantFrom(
          '',
          '?key=wrong',
          `?${KEY}`,
          `?${KEY}&sig=forged`,
          `?${KEY}&key=wrong`,
          '?key[]=x',
          `?KEY=${encodeURIComponent(PLANTED.webhookSecret)}`,
        ),
      )
      .map(([path, q]) => `${path}${q}`),
    SESSION_FIXTURES,
  ),
};

/** True when a request to a guarded server may be answered 200: it carries exactly the key. */
export function carriesWebhookKey(req: HostileRequest): boolean {
  const query = req.path.split('?')[1] ?? '';
  return query === KEY || query.startsWith(`${KEY}&sig=`);
}

/** Methods a route answers itself; others end in the JSON 404 (or a parser error for unknown verbs). */
export function allowedFor(route: Route, req: HostileRequest): readonly number[] {
  if (route.name !== 'other methods and unknown paths') return route.allowed;
  // Express matches `/apps/` and `/APPS` to `/apps`: the operator routes answer GET and HEAD.
  const path = (req.path.split('?')[0] ?? '').replace(/\/+$/, '').toLowerCase();
  if ((req.method === 'GET' || req.method === 'HEAD') && OPERATOR_PATHS.includes(path)) {
    return [...route.allowed, 200, 503];
  }
  // A POST to a real route is that route's business, whatever the fuzz meant by it.
  if (req.method === 'POST') return [...API_STATUSES];
  return route.allowed;
}

// ---------------------------------------------------------------------------------------------
// Sending.

/** Sends `req` with exact bytes (no client-side JSON handling) and reads the whole answer. */
export function sendRaw(
  origin: { host: string; port: number },
  req: HostileRequest,
  agent?: Agent,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = req.body.length;
    const outgoing = httpRequest(
      {
        host: origin.host,
        port: origin.port,
        method: req.method,
        path: req.path,
        headers,
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no answer within 15 s')));
    outgoing.on('error', reject);
    outgoing.end(req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Invariants.

/**
 * Checks one answer: a status in `allowed`; JSON (utf-8) whatever happened; a 200 to Tropo is a
 * valid WebAPI document; an error is a catalogue code with its own status; no planted secret in
 * the body or headers. Throws an Error saying what broke.
 */
export function checkAnswer(
  req: HostileRequest,
  answer: RawAnswer,
  options: { allowed: readonly number[]; tropo: boolean },
): void {
  const where = `${req.method} ${req.path.slice(0, 120)} [${req.kind}]`;
  const fail = (what: string): never => {
    throw new Error(
      `${where}: ${what} (status ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)})`,
    );
  };
  if (!options.allowed.includes(answer.status))
    fail(`status ${answer.status} not in ${options.allowed.join(',')}`);
  if (answer.headers['content-type'] !== 'application/json; charset=utf-8') {
    fail(`content-type ${String(answer.headers['content-type'])}`);
  }
  const leaked = findPlantedSecrets(
    `${answer.body.toString('utf8')}\n${JSON.stringify(answer.headers)}`,
    'answer',
  ).filter(
    // The next URLs of a document to Tropo carry ?key= by design (DESIGN §6); nothing else may.
    (f) =>
      !(
        answer.status === 200 &&
        options.tropo &&
        f.name === 'webhookSecret' &&
        f.context.includes('?key=<webhookSecret>&sig=')
      ),
  );
  if (leaked.length > 0) fail(`planted ${leaked.map((l) => l.name).join(', ')} in the answer`);
  if (req.method === 'HEAD') return;
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return fail('the body is not JSON');
  }
  if (answer.status === 200) {
    if (options.tropo) {
      const validation = validateDocument(json);
      if (!validation.ok)
        fail(`a 200 that is not a valid Tropo document: ${JSON.stringify(validation.issues)}`);
    }
    return;
  }
  const error = (json as { error?: { code?: unknown } }).error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (!code || !Object.hasOwn(errorCatalogue, code))
    fail(`error code ${String(code)} is not in the catalogue`);
  const entry = errorCatalogue[code as keyof typeof errorCatalogue];
  if (entry.status !== answer.status)
    fail(`${String(code)} answered with ${answer.status}, catalogue says ${entry.status}`);
}

/** Bodies tried and faults injected, by route (or fault) and kind, for the closing counts. */
export class Counts {
  private readonly byKey = new Map<string, Map<string, number>>();

  /** Counts one `kind` under `key`. */
  add(key: string, kind: string): void {
    const kinds = this.byKey.get(key) ?? new Map<string, number>();
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    this.byKey.set(key, kinds);
  }

  /** The total under `key`. */
  total(key: string): number {
    return [...(this.byKey.get(key)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  /** One line per key: the total, then the kinds. */
  report(title: string): string {
    const lines = [...this.byKey].map(([key, kinds]) => {
      const parts = [...kinds].sort().map(([k, n]) => `${k} ${n}`);
      return `  ${key}: ${this.total(key)} (${parts.join(', ')})`;
    });
    return `${title}\n${lines.join('\n')}`;
  }
}
