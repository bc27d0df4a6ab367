/**
 * The campaign part of `npm run bench` (issue #13): the dispatcher's achieved launch rate against
 * its configured one (10, 50, 100/s over 10,000 reminders each, timed by fake-tropo's launch log),
 * the server's RSS with 100,000 scheduled reminders against its idle RSS, and the time to accept a
 * 100,000-row CSV. Real redis-server, real server process, fake-tropo in this process.
 * Runs alone with `npx tsx bench/campaigns.ts`, or as part of `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { busiestSecond, reminders, startCampaignWorld } from '../test/helpers/campaign-world';

/** What the campaign bench is parameterised by (BENCH_CAMPAIGN_*). */
export interface CampaignBenchSettings {
  /** Reminders launched at each rate. */
  reminders: number;
  rates: number[];
  /** Reminders of the scheduled campaign (RSS, CSV accept). */
  scheduled: number;
}

/** One rate's measurement. */
export interface RateResult {
  configured: number;
  reminders: number;
  /** Launches per second from the first launch to the last. */
  achieved: number;
  /** Most launches in any one-second window. */
  busiestSecond: number;
  deviationPercent: number;
  /** CPU time the server process spent per launch (user + system). */
  serverCpuMsPerLaunch: number;
}

/** Everything the campaign bench measured. */
export interface CampaignBenchResults {
  date: string;
  /** The machine's 1-minute load average at the start and the end, and its CPUs. */
  load: { start: number; end: number; cpus: number };
  settings: CampaignBenchSettings;
  rates: RateResult[];
  memory: { idleRssMB: number; scheduledRssMB: number; deltaMB: number; redisUsedMB: number };
  csv: { rows: number; bytes: number; acceptSeconds: number };
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const text = env[key]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) <= 0) {
    throw new Error(`${key} must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

/** Reads BENCH_CAMPAIGN_REMINDERS, BENCH_CAMPAIGN_RATES and BENCH_CAMPAIGN_SCHEDULED. */
export function readCampaignSettings(env: NodeJS.ProcessEnv = process.env): CampaignBenchSettings {
  const text = env.BENCH_CAMPAIGN_RATES?.trim() || '10,50,100';
  const rates = (text === 'none' ? [] : text.split(',')).map((r) => {
    const n = Number(r.trim());
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new Error(`BENCH_CAMPAIGN_RATES must be launches per second (1-1000), got "${r}"`);
    }
    return n;
  });
  return {
    reminders: positiveInt(env, 'BENCH_CAMPAIGN_REMINDERS', 10_000),
    rates,
    scheduled: positiveInt(env, 'BENCH_CAMPAIGN_SCHEDULED', 100_000),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU time a process has used so far in ms (user + system, from /proc, Linux). */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 'self'}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Resident set size of a process, from /proc (Linux). */
function rssMB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid ?? 'self'}/status`, 'utf8');
  const kB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return Math.round((kB / 1024) * 10) / 10;
}

async function measureRate(
  rate: number,
  count: number,
  progress: (line: string) => void,
): Promise<RateResult> {
  // Launches are logged, not played: the rate is the dispatcher's, not the webhook path's.
  const world = await startCampaignWorld({
    instances: 1,
    rate,
    play: false,
    env: { CAMPAIGN_OUTCOME_TIMEOUT_SECONDS: '3600', CAMPAIGN_MAX_REMINDERS: String(count) },
  });
  try {
    const pid = world.instances[0]?.child.pid;
    const cpuBefore = cpuMs(pid);
    const created = await world.api('POST', '/api/campaigns', {
      app: 'appointment-reminder',
      name: `bench ${rate}/s`,
      reminders: reminders(count, 'b'),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
    const deadline = Date.now() + ((count / rate) * 1.5 + 60) * 1000;
    let seen = 0;
    let reported = Date.now();
    while ((seen = world.fake.launches().length) < count) {
      if (Date.now() > deadline) throw new Error(`only ${seen} of ${count} launched in time`);
      if (Date.now() - reported > 15_000) {
        progress(`  ${rate}/s: ${seen} of ${count} launched`);
        reported = Date.now();
      }
      await sleep(200);
    }
    const cpu = cpuMs(pid) - cpuBefore;
    const launches = world.fake.launches();
    const times = launches.map((l) => Date.parse(l.at)).sort((a, b) => a - b);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    const achieved = span > 0 ? (times.length - 1) / span : 0;
    return {
      configured: rate,
      reminders: count,
      achieved: Math.round(achieved * 100) / 100,
      busiestSecond: busiestSecond(launches),
      deviationPercent: Math.round(((achieved - rate) / rate) * 1000) / 10,
      serverCpuMsPerLaunch: Math.round((cpu / count) * 100) / 100,
    };
  } finally {
    await world.close();
  }
}

/** A CSV of `rows` reminders due in a week, for the appointment reminder. */
function scheduledCsv(rows: number): string {
  const at = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const lines = ['id,at,timeZone,numberToDial,msg,confirm'];
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(7, '0');
    lines.push(`s-${n},${at},America/New_York,+1407${n},Your appointment is next week,true`);
  }
  return `${lines.join('\n')}\n`;
}

async function measureScheduled(rows: number): Promise<{
  memory: CampaignBenchResults['memory'];
  csv: CampaignBenchResults['csv'];
}> {
  const world = await startCampaignWorld({
    instances: 1,
    rate: 1,
    env: { CAMPAIGN_MAX_REMINDERS: String(Math.max(rows, 100_000)) },
  });
  const redis = new Redis(world.redis.url, { lazyConnect: true });
  try {
    const pid = world.instances[0]?.child.pid;
    // A small campaign first, so the idle figure already holds the code that accepting one loads
    // (CSV parser, time zones, the queue's scripts): the delta is then what the reminders cost.
    const warm = await world.api(
      'POST',
      '/api/campaigns?app=appointment-reminder',
      scheduledCsv(10),
    );
    if (warm.status !== 201) throw new Error(`warm-up create: ${warm.status} ${warm.text}`);
    await sleep(3000);
    const idleRssMB = rssMB(pid);
    const csv = scheduledCsv(rows);
    const started = performance.now();
    const created = await world.api('POST', '/api/campaigns?app=appointment-reminder', csv);
    const acceptSeconds = (performance.now() - started) / 1000;
    if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
    await sleep(5000);
    const scheduledRssMB = rssMB(pid);
    await redis.connect();
    const info = await redis.info('memory');
    const used = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
    return {
      memory: {
        idleRssMB,
        scheduledRssMB,
        deltaMB: Math.round((scheduledRssMB - idleRssMB) * 10) / 10,
        redisUsedMB: Math.round((used / 1024 / 1024) * 10) / 10,
      },
      csv: {
        rows,
        bytes: Buffer.byteLength(csv),
        acceptSeconds: Math.round(acceptSeconds * 100) / 100,
      },
    };
  } finally {
    redis.disconnect();
    await world.close();
  }
}

/** Runs every campaign measurement in turn. */
export async function runCampaignBench(
  settings: CampaignBenchSettings,
  progress: (line: string) => void,
): Promise<CampaignBenchResults> {
  const loadAtStart = loadavg()[0] ?? 0;
  const rates: RateResult[] = [];
  for (const rate of settings.rates) {
    progress(`campaigns: ${settings.reminders} reminders at ${rate}/s…`);
    rates.push(await measureRate(rate, settings.reminders, progress));
  }
  progress(`campaigns: ${settings.scheduled} scheduled reminders (RSS, CSV accept)…`);
  const scheduled = await measureScheduled(settings.scheduled);
  const load = { start: loadAtStart, end: loadavg()[0] ?? 0, cpus: cpus().length };
  return { date: new Date().toISOString(), load, settings, rates, ...scheduled };
}

/** The small table printed and written to CAMPAIGNS.md. */
export function renderCampaignTable(results: CampaignBenchResults): string {
  const rows = results.rates.map(
    (r) =>
      `| ${r.configured}/s | ${r.reminders} | ${r.achieved.toFixed(2)}/s | ${r.deviationPercent > 0 ? '+' : ''}${r.deviationPercent}% | ${r.busiestSecond} | ${Math.abs(r.deviationPercent) <= 5 ? 'yes' : 'NO'} | ${r.serverCpuMsPerLaunch} ms |`,
  );
  const m = results.memory;
  const c = results.csv;
  return [
    `Campaigns (${results.date}; ${results.settings.reminders} reminders per rate; ` +
      `load average ${results.load.start.toFixed(1)} → ${results.load.end.toFixed(1)} on ${results.load.cpus} CPUs)`,
    '',
    '| configured | reminders | achieved | deviation | busiest 1 s | within ±5% | server CPU per launch |',
    '| ---------- | --------- | -------- | --------- | ----------- | ---------- | --------------------- |',
    ...rows,
    '',
    `| server RSS idle | with ${c.rows} scheduled | delta | within +50 MB | Redis used_memory |`,
    '| --------------- | ------------------------ | ----- | ------------- | ----------------- |',
    `| ${m.idleRssMB} MB | ${m.scheduledRssMB} MB | ${m.deltaMB} MB | ${m.deltaMB <= 50 ? 'yes' : 'NO'} | ${m.redisUsedMB} MB |`,
    '',
    `Accepting a ${c.rows}-row CSV (${(c.bytes / 1024 / 1024).toFixed(1)} MB): ${c.acceptSeconds} s`,
    '',
  ].join('\n');
}

/** Writes campaigns-results.json and CAMPAIGNS.md into `outDir`; returns the paths. */
export async function writeCampaignReport(
  results: CampaignBenchResults,
  outDir: string,
): Promise<string[]> {
  const json = join(outDir, 'campaigns-results.json');
  const md = join(outDir, 'CAMPAIGNS.md');
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(
    md,
    `# Campaign benchmark\n\nWritten by \`npm run bench\` (bench/campaigns.ts); see bench/README.md.\n\n${renderCampaignTable(results)}`,
  );
  return [json, md];
}

if (require.main === module) {
  const progress = (line: string) => void process.stderr.write(`${line}\n`);
  runCampaignBench(readCampaignSettings(), progress)
    .then(async (results) => {
      process.stdout.write(renderCampaignTable(results));
      const written = await writeCampaignReport(
        results,
        process.env.BENCH_OUT_DIR?.trim() || __dirname,
      );
      progress(`wrote ${written.join(', ')}`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
