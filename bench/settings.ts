import { productSource } from './build';

/** The benchmark's knobs, read once from BENCH_* environment variables, with defaults sized for a 3-minute run on 2 cores. */

/** Everything the run is parameterised by; recorded in results.json. */
export interface BenchSettings {
  /** Rounds of the primary scenario (the reminder start). */
  rounds: number;
  /** Seconds per load run of the primary scenario. */
  duration: number;
  /** Rounds and seconds of the secondary scenarios (fewer, to fit the time budget). */
  secondaryRounds: number;
  secondaryDuration: number;
  /** Seconds of the one warm-up run each target gets per scenario before round 1. */
  warmup: number;
  connections: number;
  /** Spawns per target for the cold-start median. */
  coldStarts: number;
  /** Seconds of simulator sessions, split in three rounds. */
  simulatorDuration: number;
  simulatorConcurrency: number;
  /** Where `ours` is loaded from: the compiled build that ships (default) or the TypeScript sources. */
  product: 'build' | 'sources';
  /** Where results.json, RESULTS.md and the chart are written. */
  outDir: string;
}

function positive(env: NodeJS.ProcessEnv, key: string, fallback: number, integer: boolean): number {
  const text = env[key];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${key} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  }
  return value;
}

/** Reads the settings; a bad value throws an error naming its variable. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const rounds = positive(env, 'BENCH_ROUNDS', 5, true);
  const duration = positive(env, 'BENCH_DURATION', 3, false);
  return {
    rounds,
    duration,
    secondaryRounds: positive(env, 'BENCH_SECONDARY_ROUNDS', Math.ceil(rounds / 2), true),
    secondaryDuration: positive(env, 'BENCH_SECONDARY_DURATION', Math.max(1, duration / 2), false),
    warmup: positive(env, 'BENCH_WARMUP', 0.5, false),
    connections: positive(env, 'BENCH_CONNECTIONS', 50, true),
    coldStarts: positive(env, 'BENCH_COLD_STARTS', 5, true),
    simulatorDuration: positive(env, 'BENCH_SIM_DURATION', 3, false),
    simulatorConcurrency: positive(env, 'BENCH_SIM_CONCURRENCY', 1, true),
    product: productSource(env),
    outDir: env.BENCH_OUT_DIR?.trim() || __dirname,
  };
}

/** True when the settings are the defaults, i.e. the run is the one whose results are committed. */
export function isDefaultRun(settings: BenchSettings): boolean {
  const defaults = readSettings({});
  return (Object.keys(defaults) as (keyof BenchSettings)[])
    .filter((key) => key !== 'outDir')
    .every((key) => settings[key] === defaults[key]);
}
