/** The shape of bench/results.json and the pure steps that turn raw rounds into medians, ratios and target checks. */
import type { LoadSample } from './load';
import type { ScenarioInfo, ScenarioName } from './scenarios';
import type { BenchSettings } from './settings';
import type { SessionRate } from './simulator';
import {
  check,
  pairedRatio,
  ratioPairs,
  summarise,
  type Check,
  type RatioStat,
  type Summary,
} from './stats';
import { CANDIDATE, type TargetName } from './target';

/** Per scenario, per target. */
export type ByScenario<T> = Partial<Record<ScenarioName, Partial<Record<TargetName, T>>>>;

/** One subject/reference comparison on one scenario. */
export interface RatioRow {
  scenario: ScenarioName;
  subject: TargetName;
  reference: TargetName;
  reqPerSec: RatioStat | undefined;
  p99: RatioStat | undefined;
}

/** A target's memory right after its last load run, and after a forced garbage collection. */
export interface MemoryResult {
  rssMB: number;
  heapUsedMB: number;
  rssAfterGcMB: number;
  heapUsedAfterGcMB: number;
}

/** The simulator's result, or why it was not measured. */
export type SimulatorResult =
  | { skipped: string }
  | { description: string; concurrency: number; sessionsPerSecond: number; rounds: SessionRate[] };

/** Everything a run measured; written as bench/results.json. */
export interface BenchResults {
  date: string;
  /** True when the run used the default settings (the committed, comparable kind of run). */
  defaultSettings: boolean;
  environment: {
    node: string;
    platform: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    memoryMB: number;
    /** 1-minute load averages when the run started and ended: a busy machine shows here. */
    loadAverage: { start: number; end: number };
  };
  settings: Omit<BenchSettings, 'outDir'>;
  targets: { name: TargetName; description: string }[];
  /** Known targets whose module does not exist yet (e.g. `ours` before the server is written). */
  absent: TargetName[];
  scenarios: ScenarioInfo[];
  rounds: ByScenario<LoadSample[]>;
  medians: ByScenario<Summary>;
  ratios: RatioRow[];
  coldStart: Partial<Record<TargetName, { samplesMs: number[]; medianMs: number }>>;
  memory: Partial<Record<TargetName, MemoryResult>>;
  simulator: SimulatorResult;
  /** The targets for `ours`; empty while it is absent. */
  checks: Check[];
  /** Anything that makes a number suspect: connection errors, unexpected statuses. */
  problems: string[];
  elapsedSeconds: number;
}

/** The limits (#17), in one place: every one a ratio to a baseline measured in the same run. */
export const LIMITS = {
  minThroughputVsExpress: 0.9,
  minThroughputVsPeer: 1.0,
  maxP99VsExpress: 1.3,
  /** Cold start to the first answer, against express-echo's. */
  maxColdStartVsExpress: 1.2,
  /** RSS right after the last load run, against express-echo's. */
  maxRssVsExpress: 1.1,
} as const;

/** The baseline the start-up and memory limits are ratios to. */
const FLOOR: TargetName = 'express-echo';

/** a / b, or NaN when either is missing (a missing measurement fails its check). */
function over(a: number | undefined, b: number | undefined): number {
  return a === undefined || b === undefined || b <= 0
    ? Number.NaN
    : Math.round((a / b) * 100) / 100;
}

/** Medians of every scenario and target that has rounds. */
export function mediansOf(rounds: ByScenario<LoadSample[]>): ByScenario<Summary> {
  const out: ByScenario<Summary> = {};
  for (const [scenario, byTarget] of Object.entries(rounds) as [
    ScenarioName,
    Partial<Record<TargetName, LoadSample[]>>,
  ][]) {
    const summaries: Partial<Record<TargetName, Summary>> = {};
    for (const [target, samples] of Object.entries(byTarget) as [TargetName, LoadSample[]][]) {
      if (samples.length > 0) summaries[target] = summarise(samples);
    }
    out[scenario] = summaries;
  }
  return out;
}

/** Ratios of each target to every target before it in `order`, per scenario, paired by round. */
export function ratiosOf(
  rounds: ByScenario<LoadSample[]>,
  scenarios: readonly ScenarioName[],
  order: readonly TargetName[],
): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const scenario of scenarios) {
    const byTarget = rounds[scenario] ?? {};
    const present = order.filter((t) => (byTarget[t]?.length ?? 0) > 0);
    for (const [subject, reference] of ratioPairs(present)) {
      const a = byTarget[subject] ?? [];
      const b = byTarget[reference] ?? [];
      rows.push({
        scenario,
        subject,
        reference,
        reqPerSec: pairedRatio(a, b, 'reqPerSec'),
        p99: pairedRatio(a, b, 'p99'),
      });
    }
  }
  return rows;
}

function ratioFor(
  rows: readonly RatioRow[],
  scenario: ScenarioName,
  reference: TargetName,
  metric: 'reqPerSec' | 'p99',
): number {
  const row = rows.find(
    (r) => r.scenario === scenario && r.subject === CANDIDATE && r.reference === reference,
  );
  return row?.[metric]?.median ?? Number.NaN;
}

/** The targets for the candidate; a measurement that is missing counts as a failure. */
export function checksOf(
  results: Pick<BenchResults, 'ratios' | 'coldStart' | 'memory' | 'scenarios'>,
): Check[] {
  const checks: Check[] = [];
  for (const { name, pipeline } of results.scenarios) {
    if (!pipeline) continue;
    checks.push(
      check(
        `${name}: req/s vs express-echo`,
        ratioFor(results.ratios, name, 'express-echo', 'reqPerSec'),
        '>=',
        LIMITS.minThroughputVsExpress,
      ),
      check(
        `${name}: req/s vs tropo-webapi-peer`,
        ratioFor(results.ratios, name, 'tropo-webapi-peer', 'reqPerSec'),
        '>=',
        LIMITS.minThroughputVsPeer,
      ),
      check(
        `${name}: p99 vs express-echo`,
        ratioFor(results.ratios, name, 'express-echo', 'p99'),
        '<=',
        LIMITS.maxP99VsExpress,
      ),
    );
  }
  checks.push(
    check(
      `cold start vs ${FLOOR}`,
      over(results.coldStart[CANDIDATE]?.medianMs, results.coldStart[FLOOR]?.medianMs),
      '<=',
      LIMITS.maxColdStartVsExpress,
    ),
    check(
      `RSS after load vs ${FLOOR}`,
      over(results.memory[CANDIDATE]?.rssMB, results.memory[FLOOR]?.rssMB),
      '<=',
      LIMITS.maxRssVsExpress,
    ),
  );
  return checks;
}
