/**
 * Property-based fuzzing of every route with hostile requests against the server as `npm start`
 * builds it (startServer, on 127.0.0.1:0): whatever arrives, the answer is JSON with an allowed
 * status, a 200 to Tropo is a valid document, errors come from the catalogue, no secret leaks.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { loadConfig } from '../../src/runtime/config';
import { createLogger } from '../../src/runtime/logger';
import { startServer, type RunningServer } from '../../src/runtime/main';
import { fuzz, replayHint } from '../helpers/fuzz-settings';
import {
  allowedFor,
  carriesWebhookKey,
  checkAnswer,
  Counts,
  GUARDED_ROUTE,
  ROUTES,
  sendRaw,
} from '../helpers/hostile-http';
import { expectNoPlantedSecrets, PLANTED, plantedEnv } from '../helpers/secret-scan';
import { startStubTropo, type StubTropo } from '../helpers/stub-tropo';
import { logCapture } from '../helpers/test-app';

const RUNS = fuzz.runs(40);
/** Hostile requests per route the log check sends itself, so it does not depend on the tests above. */
const LOG_CHECK_SAMPLE = 5;
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

describe('hostile requests on every route', () => {
  let stub: StubTropo;
  let server: RunningServer;
  let guarded: RunningServer;
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
    const env = {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      TROPO_API_URL: stub.baseUrl,
      RELAY_TO: '+14155550199',
      APP_TIMEOUT_MS: '500',
    };
    const logger = createLogger({ level: 'debug', destination: capture });
    // Without WEBHOOK_SECRET (the default) every hostile body reaches the routes themselves…
    const open = plantedEnv(env, { webhookSecret: false });
    server = await startServer(loadConfig(open), logger, { env: open });
    // …and with it, the guard must stop every request that lacks the key.
    guarded = await startServer(loadConfig(plantedEnv(env)), logger, { env: plantedEnv(env) });
  });

  afterAll(async () => {
    agent.destroy();
    await server.close();
    await guarded.close();
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

  it('when the Tropo routes behind WEBHOOK_SECRET receive hostile requests, then only those with the key get a 200', async () => {
    const origin = { host: '127.0.0.1', port: Number(new URL(guarded.url).port) };
    await fc.assert(
      fc.asyncProperty(GUARDED_ROUTE.request, async (req) => {
        counts.add(GUARDED_ROUTE.name, req.kind);
        const answer = await sendRaw(origin, req, agent);
        checkAnswer(req, answer, { allowed: GUARDED_ROUTE.allowed, tropo: true });
        if (!carriesWebhookKey(req)) expect(answer.status).not.toBe(200);
      }),
      { seed: fuzz.seed + ROUTES.length, numRuns: RUNS },
    );
  });

  it('when hostile requests have been served, then no log line holds a secret or an internal error', async () => {
    // Stands alone (runnable with -t): it sends its own sample to both servers first. Run with the
    // whole file, the logs it judges also hold everything the fuzzing above caused.
    const origin = (running: RunningServer) => ({
      host: '127.0.0.1',
      port: Number(new URL(running.url).port),
    });
    for (const [index, route] of ROUTES.entries()) {
      const sample = fc.sample(route.request, {
        seed: fuzz.seed + 1_000 + index,
        numRuns: LOG_CHECK_SAMPLE,
      });
      for (const req of sample) {
        checkAnswer(req, await sendRaw(origin(server), req, agent), {
          allowed: allowedFor(route, req),
          tropo: route.tropo,
        });
      }
    }
    const guardedSample = fc.sample(GUARDED_ROUTE.request, {
      seed: fuzz.seed + 2_000,
      numRuns: LOG_CHECK_SAMPLE,
    });
    for (const req of guardedSample) {
      checkAnswer(req, await sendRaw(origin(guarded), req, agent), {
        allowed: GUARDED_ROUTE.allowed,
        tropo: true,
      });
    }

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
