/** `npm run bench`: cold starts, interleaved load rounds on every target, memory, simulator rate, then the ratio table and the reports; then the campaign measurements (BENCH_ONLY=server|campaigns runs one part). */
import { cpus, loadavg, totalmem } from 'node:os';
import { answerProblem, send, spawnTarget, type RunningTarget } from './children';
import {
  readCampaignSettings,
  renderCampaignTable,
  runCampaignBench,
  writeCampaignReport,
} from './campaigns';
import { buildProduct } from './build';
import { measureColdStarts } from './coldstart';
import { runLoad, type LoadSample } from './load';
import {
  checksOf,
  mediansOf,
  ratiosOf,
  type BenchResults,
  type ByScenario,
  type SimulatorResult,
} from './results';
import { renderText, toMB, writeReports } from './report';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName, type ScenarioRequest } from './scenarios';
import { isDefaultRun, readSettings, type BenchSettings } from './settings';
import { loadSimulatorFlow, measureSessionsPerSecond } from './simulator';
import { rotate } from './stats';
import { availableTargets, TARGET_NAMES } from './target';

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function roundsOf(settings: BenchSettings, scenario: ScenarioName): number {
  return SCENARIOS[scenario].primary ? settings.rounds : settings.secondaryRounds;
}

function secondsOf(settings: BenchSettings, scenario: ScenarioName): number {
  return SCENARIOS[scenario].primary ? settings.duration : settings.secondaryDuration;
}

/** A rough plan of the run's length, printed first so a wrong setting shows before the wait. */
function estimateSeconds(settings: BenchSettings, targets: number): number {
  const perTarget = SCENARIO_NAMES.reduce(
    (sum, s) => sum + settings.warmup + roundsOf(settings, s) * (secondsOf(settings, s) + 0.1),
    0,
  );
  return targets * (perTarget + settings.coldStarts * 0.5 + 1) + settings.simulatorDuration;
}

/** Each target's request for a scenario, or undefined when that target does not serve it. */
function requestOf(target: RunningTarget, scenario: ScenarioName): ScenarioRequest | undefined {
  return target.info.scenarios.find((s) => s.scenario === scenario);
}

/** One request per target and scenario, checked against the contract before any load is spent. */
async function preflight(running: readonly RunningTarget[]): Promise<string[]> {
  const failures: string[] = [];
  for (const target of running) {
    for (const scenario of SCENARIO_NAMES) {
      const req = requestOf(target, scenario);
      if (req === undefined) continue;
      const problem = answerProblem(req, await send(target.port, req));
      if (problem !== undefined)
        failures.push(`${target.name} ${scenario} (${req.path}): ${problem}`);
    }
  }
  return failures;
}

async function measureSimulator(settings: BenchSettings): Promise<SimulatorResult> {
  const flow = loadSimulatorFlow();
  if ('skipped' in flow) return flow;
  const { playSession, close } = await flow.setup();
  try {
    const rate = await measureSessionsPerSecond(
      playSession,
      settings.simulatorDuration * 1000,
      settings.simulatorConcurrency,
    );
    return {
      description: flow.description,
      concurrency: settings.simulatorConcurrency,
      sessionsPerSecond: rate.perSecond,
      rounds: rate.rounds,
    };
  } finally {
    await close();
  }
}

/** The campaign part (bench/campaigns.ts): its own table and reports. */
async function campaigns(outDir: string): Promise<void> {
  const results = await runCampaignBench(readCampaignSettings(), progress);
  process.stdout.write(`\n${renderCampaignTable(results)}`);
  const written = await writeCampaignReport(results, outDir);
  progress(`wrote ${written.join(', ')}`);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.trim() ?? '';
  if (!['', 'server', 'campaigns'].includes(only)) {
    throw new Error(`BENCH_ONLY must be server or campaigns, got "${only}"`);
  }
  if (only !== 'campaigns') await serverBench();
  if (only !== 'server') await campaigns(readSettings().outDir);
}

async function serverBench(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const settings = readSettings();
  const names = availableTargets();
  const absent = TARGET_NAMES.filter((n) => !names.includes(n));
  progress(
    `bench: targets ${names.join(', ')}${absent.length > 0 ? ` (absent: ${absent.join(', ')})` : ''}; ` +
      `about ${Math.round(estimateSeconds(settings, names.length))} s`,
  );

  if (names.includes('ours') && settings.product === 'build') {
    progress('building the product (tsc -p tsconfig.build.json) into .tmp/bench-build…');
    buildProduct();
  }

  // Cold starts first, while nothing else runs.
  progress(`cold start: ${settings.coldStarts} spawns per target…`);
  const coldStart = await measureColdStarts(names, settings.coldStarts);

  const rounds: ByScenario<LoadSample[]> = {};
  const memory: BenchResults['memory'] = {};
  const problems: string[] = [];
  const running: RunningTarget[] = [];
  try {
    for (const name of names) running.push(await spawnTarget(name));
    const failures = await preflight(running);
    if (failures.length > 0) {
      throw new Error(`preflight failed, no load was run:\n- ${failures.join('\n- ')}`);
    }
    for (const target of running) {
      const missing = SCENARIO_NAMES.filter((s) => requestOf(target, s) === undefined);
      if (missing.length > 0)
        problems.push(`${target.name} serves no ${missing.join(', ')} scenario`);
    }

    progress(`warm-up: ${settings.warmup} s per target and scenario…`);
    for (const scenario of SCENARIO_NAMES) {
      for (const target of running) {
        const req = requestOf(target, scenario);
        if (req !== undefined) {
          await runLoad(target.port, req, settings.warmup, settings.connections, 0);
        }
      }
    }

    // Interleaved: round after round, each scenario, each target in turn. The order of the targets
    // turns by one each round, so none always runs right after the fastest one (whose garbage the
    // load generator would otherwise collect during the next target's run).
    const maxRounds = Math.max(settings.rounds, settings.secondaryRounds);
    for (let round = 1; round <= maxRounds; round++) {
      for (const scenario of SCENARIO_NAMES) {
        if (round > roundsOf(settings, scenario)) continue;
        const line: string[] = [];
        for (const target of rotate(running, round - 1)) {
          const req = requestOf(target, scenario);
          if (req === undefined) continue;
          const seconds = secondsOf(settings, scenario);
          const sample = await runLoad(target.port, req, seconds, settings.connections, round);
          const byTarget = (rounds[scenario] ??= {});
          (byTarget[target.name] ??= []).push(sample);
          line.push(`${target.name} ${Math.round(sample.reqPerSec)}/s p99 ${sample.p99} ms`);
          if (sample.errors > 0 || sample.unexpected > 0) {
            problems.push(
              `${target.name} ${scenario} round ${round}: ${sample.errors} connection errors, ` +
                `${sample.unexpected} responses other than ${req.expectStatus}`,
            );
          }
        }
        progress(`round ${round} ${scenario}: ${line.join('; ')}`);
      }
    }

    for (const target of running) {
      const m = await target.memory();
      memory[target.name] = {
        rssMB: toMB(m.rss),
        heapUsedMB: toMB(m.heapUsed),
        rssAfterGcMB: toMB(m.rssAfterGc),
        heapUsedAfterGcMB: toMB(m.heapUsedAfterGc),
      };
    }
  } finally {
    await Promise.all(running.map((t) => t.stop()));
  }

  progress('simulator…');
  const simulator = await measureSimulator(settings);

  const scenarios = SCENARIO_NAMES.map((s) => SCENARIOS[s]);
  const ratios = ratiosOf(rounds, SCENARIO_NAMES, names);
  const { outDir, ...recorded } = settings;
  const results: BenchResults = {
    date: new Date().toISOString(),
    defaultSettings: isDefaultRun(settings),
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryMB: Math.round(totalmem() / 1024 / 1024),
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    },
    settings: recorded,
    targets: running.map((t) => ({ name: t.name, description: t.info.description })),
    absent,
    scenarios,
    rounds,
    medians: mediansOf(rounds),
    ratios,
    coldStart,
    memory,
    simulator,
    checks: names.includes('ours') ? checksOf({ ratios, coldStart, memory, scenarios }) : [],
    problems,
    elapsedSeconds: (performance.now() - started) / 1000,
  };
  process.stdout.write(renderText(results));
  const written = await writeReports(results, outDir);
  progress(`wrote ${written.join(', ')}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
