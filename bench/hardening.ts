/**
 * `npm run bench:hardening [hostile|flood]`: the figures issue 16 asks for, measured on the real
 * server process over loopback. `hostile`: the cost of the worst body of the allowed size against
 * a normal session. `flood`: RSS and /healthz p99 while distinct sessions pour in, memory store
 * and Redis.
 */
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { loadavg } from 'node:os';
import { hostileBodies, NORMAL, type HostileBody } from './hardening-bodies';
import { get, probeHealth, quantile, startServer, type ServerProcess } from './hardening-server';
import { BODIES } from './scenarios';
import { startRedisServer } from '../test/helpers/redis-server';

const STATE_MAX_BYTES = 64 * 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

function whole(key: string, fallback: number): number {
  const text = process.env[key];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${key} must be positive, got "${text}"`);
  return value;
}

const SETTINGS = {
  /** Sessions per flood (the issue: 50,000). */
  sessions: whole('HARDENING_SESSIONS', 50_000),
  /** Rounds and seconds per body of the hostile measurement. */
  rounds: whole('HARDENING_ROUNDS', 3),
  duration: whole('HARDENING_DURATION', 2),
  connections: whole('HARDENING_CONNECTIONS', 16),
};

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const median = (values: readonly number[]) => quantile(values, 0.5);

/** One POST with `body`, for the preflight: the status the server gives it. */
async function statusOf(port: number, item: HostileBody): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${item.path}`,
    method: 'POST',
    headers: JSON_HEADERS,
    body: item.body,
    connections: 1,
    amount: 1,
  });
  const codes = Object.keys(result.statusCodeStats ?? {});
  return Number(codes[0] ?? 0);
}

interface Run {
  perSecond: number;
  /** The server's CPU time per request during the run: what the body costs it, whatever the client. */
  cpuMs: number;
  p99: number;
}

async function load(server: ServerProcess, item: HostileBody, seconds: number): Promise<Run> {
  const cpuBefore = server.cpuMs();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${item.path}`,
    method: 'POST',
    headers: JSON_HEADERS,
    body: item.body,
    connections: SETTINGS.connections,
    pipelining: 1,
    duration: seconds,
  });
  const cpu = server.cpuMs() - cpuBefore;
  if (result.errors > 0) throw new Error(`${item.name}: ${result.errors} connection errors`);
  const requests = result.requests.total;
  return {
    perSecond: result.duration > 0 ? requests / result.duration : 0,
    cpuMs: requests > 0 ? cpu / requests : Number.NaN,
    p99: result.latency.p99,
  };
}

function push<T>(map: Map<string, T[]>, key: string, ...values: T[]): void {
  const list = map.get(key) ?? [];
  list.push(...values);
  map.set(key, list);
}

/**
 * The hostile-body figures: each body's cost per request as a multiple of the normal session's,
 * by the server's CPU time per request (the load generator shares the CPUs, and sending 100 KB
 * costs it more than 475 bytes, so req/s alone would charge the client's work to the body). Each
 * hostile run is paired with a normal run just before or after it (the order turns each round),
 * so a change in the machine's load touches both.
 */
async function hostile(): Promise<string> {
  const bodies = hostileBodies();
  const server = await startServer();
  const rows: string[] = [];
  let worst = { name: '', ratio: 0 };
  try {
    const statuses = new Map<string, number>();
    for (const item of [NORMAL, ...bodies])
      statuses.set(item.name, await statusOf(server.port, item));
    if (statuses.get(NORMAL.name) !== 200) throw new Error('the normal session did not get a 200');
    for (const item of [NORMAL, ...bodies]) await load(server, item, 0.5);
    const runs = new Map<string, Run[]>();
    const ratios = new Map<string, number[]>();
    for (let round = 1; round <= SETTINGS.rounds; round++) {
      const line: string[] = [];
      for (const item of bodies) {
        const pair =
          round % 2 === 1
            ? [
                await load(server, NORMAL, SETTINGS.duration),
                await load(server, item, SETTINGS.duration),
              ]
            : [
                await load(server, item, SETTINGS.duration),
                await load(server, NORMAL, SETTINGS.duration),
              ].reverse();
        const [normal, run] = pair as [Run, Run];
        push(runs, NORMAL.name, normal);
        push(runs, item.name, run);
        const ratio = run.cpuMs / normal.cpuMs;
        push(ratios, item.name, ratio);
        line.push(`${item.name} ${ratio.toFixed(2)}×`);
      }
      progress(`hostile round ${round}: ${line.join(', ')}`);
    }
    rows.push(
      '| body | what it tries | bytes | status | req/s | server CPU ms/req | p99 ms | cost × normal |',
    );
    rows.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const item of [NORMAL, ...bodies]) {
      const r = runs.get(item.name) ?? [];
      const range = ratios.get(item.name);
      const ratio = range === undefined ? 1 : median(range);
      if (range !== undefined && ratio > worst.ratio) worst = { name: item.name, ratio };
      const spread =
        range === undefined
          ? ''
          : ` [${Math.min(...range).toFixed(2)}–${Math.max(...range).toFixed(2)}]`;
      rows.push(
        `| ${item.name} | ${item.what} | ${Buffer.byteLength(item.body)} | ${statuses.get(item.name)} | ` +
          `${Math.round(median(r.map((x) => x.perSecond)))} | ${median(r.map((x) => x.cpuMs)).toFixed(3)} | ` +
          `${median(r.map((x) => x.p99))} | ${ratio.toFixed(2)}${spread} |`,
      );
    }
  } finally {
    await server.stop();
  }
  const verdict = worst.ratio <= 5 ? 'met' : 'NOT met';
  return [
    `## Hostile bodies (${SETTINGS.rounds} rounds × ${SETTINGS.duration} s per body, ${SETTINGS.connections} connections)`,
    '',
    "Cost per request is the server's CPU time per request for the body over that of a normal",
    'session run just before or after it; the median of the rounds, their range in brackets.',
    '',
    ...rows,
    '',
    `Worst: ${worst.name} at ${worst.ratio.toFixed(2)}× a normal session (target ≤ 5×: ${verdict}).`,
    '',
  ].join('\n');
}

/** A reminder start with `id`, confirm=true and a long message, so the app keeps state for it. */
function storingSession(id: string): string {
  const base = JSON.parse(BODIES.reminderSession) as { session: Record<string, unknown> };
  const parameters = base.session.parameters as Record<string, unknown>;
  return JSON.stringify({
    session: {
      ...base.session,
      id,
      parameters: { ...parameters, confirm: 'true', msg: `${'Reminder '.repeat(100)}at 10:30.` },
    },
  });
}

/** A reminder start with `id` and nothing else changed. */
function sessionWithId(id: string): string {
  const base = JSON.parse(BODIES.reminderSession) as { session: Record<string, unknown> };
  return JSON.stringify({ session: { ...base.session, id } });
}

interface Flood {
  name: string;
  statuses: Record<string, number>;
  seconds: number;
  rssAfter: number;
  peak: number;
  healthP99: number;
  healthMax: number;
  healthProbes: number;
  healthFailures: number;
}

/** `count` POSTs of distinct bodies (`make(i)`) to the start route, with /healthz probed throughout. */
async function flood(
  server: ServerProcess,
  name: string,
  count: number,
  make: (i: number) => string,
): Promise<Flood> {
  let next = 0;
  const probe = probeHealth(server.port);
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/apps/appointment-reminder/start`,
    connections: 32,
    pipelining: 1,
    amount: count,
    requests: [
      {
        method: 'POST',
        headers: JSON_HEADERS,
        setupRequest: (req) => ({ ...req, body: make(next++) }),
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const health = await probe.stop();
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = stat.count ?? 0;
  if (result.errors > 0) statuses.errors = result.errors;
  const { rss, peak } = server.rss();
  return {
    name,
    statuses,
    seconds,
    rssAfter: rss,
    peak,
    healthP99: quantile(health.latencies, 0.99),
    healthMax: Math.max(...health.latencies),
    healthProbes: health.latencies.length,
    healthFailures: health.failures,
  };
}

async function evictions(port: number): Promise<string> {
  const { body } = await get(port, '/metrics');
  const lines = body.split('\n').filter((l) => l.startsWith('tropo_state_evictions_total{'));
  return lines.map((l) => l.replace('tropo_state_evictions_total', '')).join(' ') || '0';
}

/** Both floods against one backend: long ids (refused) then sessions that store state. */
async function floodBackend(backend: 'memory' | 'redis'): Promise<string[]> {
  const redis = backend === 'redis' ? await startRedisServer() : undefined;
  const server = await startServer(redis ? { REDIS_URL: redis.url } : {});
  const run = Date.now().toString(36);
  try {
    // Warm-up: the modules a session loads lazily, and the JIT, are in before idle is read.
    await flood(server, 'warm-up', 500, (i) => sessionWithId(`warm-${run}-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = server.rss().rss;
    const bound = 2 * idle + STATE_MAX_BYTES;
    progress(`flood ${backend}: idle RSS ${mb(idle)} MB, bound ${mb(bound)} MB`);
    const longId = (i: number) => `${'L'.repeat(200)}-${run}-${i}`;
    const floods = [
      await flood(server, 'long ids', SETTINGS.sessions, (i) => sessionWithId(longId(i))),
      await flood(server, 'stored state', SETTINGS.sessions, (i) =>
        storingSession(`s-${run}-${i}`),
      ),
    ];
    const evicted = await evictions(server.port);
    let redisFigures = '';
    if (redis) {
      const client = new Redis(redis.url);
      const info = await client.info('memory');
      const used = /used_memory:(\d+)/.exec(info)?.[1];
      redisFigures = `; Redis: ${await client.dbsize()} keys, used_memory ${mb(Number(used))} MB`;
      await client.quit();
    }
    const rows = floods.map((f) => {
      const within = f.peak <= bound && f.rssAfter <= bound ? 'yes' : 'NO';
      const fast = f.healthP99 <= 100 ? 'yes' : 'NO';
      const codes = Object.entries(f.statuses)
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
      return (
        `| ${backend} | ${f.name} | ${codes} | ${f.seconds.toFixed(0)} | ${mb(idle)} | ${mb(f.peak)} | ` +
        `${mb(f.rssAfter)} | ${mb(bound)} | ${within} | ${f.healthP99.toFixed(1)} (max ${f.healthMax.toFixed(0)}, ` +
        `${f.healthProbes} probes${f.healthFailures > 0 ? `, ${f.healthFailures} failed` : ''}) | ${fast} |`
      );
    });
    progress(`flood ${backend}: evictions ${evicted}${redisFigures}`);
    // Each backend's rows as soon as they are known: a failure later loses none of them.
    for (const row of rows) progress(row);
    return [...rows, `| ${backend} | | evictions ${evicted}${redisFigures} | | | | | | | | |`];
  } finally {
    await server.stop();
    await redis?.dispose();
  }
}

async function floods(): Promise<string> {
  const rows = [...(await floodBackend('memory')), ...(await floodBackend('redis'))];
  return [
    `## Floods (${SETTINGS.sessions} distinct sessions each, 32 connections)`,
    '',
    'RSS of the server process (/proc VmRSS; peak is VmHWM) after a warm-up (idle), at its peak',
    'and after each flood; bound = 2 × idle + STATE_MAX_BYTES (64 MB). /healthz probed one at a',
    'time every 20 ms from its own thread during the flood.',
    '',
    '| store | flood | answers | s | idle MB | peak MB | after MB | bound MB | within | /healthz p99 ms | ≤ 100 ms |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const which = process.argv[2];
  if (which !== undefined && which !== 'hostile' && which !== 'flood') {
    throw new Error(`usage: npm run bench:hardening [hostile|flood], got "${which}"`);
  }
  const loadAtStart = loadavg()[0] ?? 0;
  const parts: string[] = [];
  if (which !== 'flood') parts.push(await hostile());
  if (which !== 'hostile') parts.push(await floods());
  const header =
    `# Hardening figures, ${new Date().toISOString()}\n\n` +
    `Load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end.\n\n`;
  process.stdout.write(header + parts.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:hardening failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exitCode = 1;
});
