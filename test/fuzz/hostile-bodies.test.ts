/**
 * Property-based fuzzing of every route with hostile requests against the server as `npm start`
 * builds it (startServer, on 127.0.0.1:0): whatever arrives, the answer is JSON with an allowed
 * status, a 200 to Tropo is a valid document, errors come from the catalogue, no secret leaks.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/main';
import { fuzz, replayHint } from '../helpers/fuzz-settings';
import {
  API_STATUSES,
  checkAnswer,
  contentType,
  Counts,
  hostileBody,
  hostileRequest,
  LAUNCH_FIXTURES,
  query,
  RESULT_FIXTURES,
  segment,
  sendRaw,
  SESSION_FIXTURES,
  TROPO_STATUSES,
  type HostileRequest,
} from '../helpers/hostile-http';
import { expectNoPlantedSecrets, PLANTED, plantedEnv } from '../helpers/secret-scan';
import { startStubTropo, type StubTropo } from '../helpers/stub-tropo';
import { logCapture } from '../helpers/test-app';

const APPS = ['appointment-reminder', 'ivr-menu', 'sms-relay', 'quickstart'];
const HANDLERS = ['confirm', 'incomplete', 'choice', 'hangup'];
const RUNS = fuzz.runs(40);
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

interface Route {
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

const ROUTES: Route[] = [
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

/** Methods a route answers itself; others end in the JSON 404 (or a parser error for unknown verbs). */
function allowedFor(route: Route, req: HostileRequest): readonly number[] {
  if (route.name !== 'other methods and unknown paths') return route.allowed;
  // A POST to a real route is that route's business, whatever the fuzz meant by it.
  if (req.method === 'POST') return [...API_STATUSES];
  return route.allowed;
}

describe('hostile requests on every route', () => {
  let stub: StubTropo;
  let server: RunningServer;
  let capture: ReturnType<typeof logCapture>;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const counts = new Counts();

  beforeAll(async () => {
    stub = await startStubTropo({
      fallback: {
        body: '<session><success>true</success><token>x</token><id>fuzz-1</id></session>',
      },
    });
    capture = logCapture();
    const config = loadConfig(
      plantedEnv({
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'debug',
        TROPO_API_URL: stub.baseUrl,
        RELAY_TO: '+14155550199',
        APP_TIMEOUT_MS: '500',
      }),
    );
    server = await startServer(config, createLogger({ level: 'debug', destination: capture }));
  });

  afterAll(async () => {
    agent.destroy();
    await server.close();
    await stub.close();
    console.log(`${counts.report(`hostile bodies tried per route, ${replayHint()}`)}`);
  });

  it.each(ROUTES.map((r, i) => [r.name, r, i] as const))(
    'when %s receives hostile requests, then every answer is JSON with an allowed status and no secret',
    async (_name, route, index) => {
      const origin = { host: '127.0.0.1', port: Number(new URL(server.url).port) };
      await fc.assert(
        fc.asyncProperty(route.request, async (req) => {
          counts.add(route.name, req.kind);
          const answer = await sendRaw(origin, req, agent);
          checkAnswer(req, answer, { allowed: allowedFor(route, req), tropo: route.tropo });
          // `__proto__` and `constructor` keys in bodies and queries must stay data.
          expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(PROTOTYPE_KEYS);
        }),
        { seed: fuzz.seed + index, numRuns: RUNS },
      );
      expect(counts.total(route.name)).toBeGreaterThanOrEqual(RUNS);
    },
  );

  it('when the fuzzing is over, then no log line holds a secret or an internal error', () => {
    const logs = capture.lines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expectNoPlantedSecrets(logs, 'server log');
    const lines = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.code === 'INTERNAL' || (l.status as number) >= 500)).toEqual([]);
    // The launches that got through carried the token to Tropo, and only there.
    for (const sent of stub.requests) {
      expect([PLANTED.tropoToken, PLANTED.appToken].some((t) => sent.body.includes(t))).toBe(true);
    }
  });
});
