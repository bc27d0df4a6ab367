/**
 * How hard the fuzz suites try: CI runs a fixed seed and a few runs per property; `npm run fuzz`
 * (FUZZ=long) runs many more with a fresh seed. FUZZ_SEED and FUZZ_RUNS replay or tune either.
 */

const long = process.env.FUZZ === 'long';

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive whole number`);
  return value;
}

/** The seed CI always uses, so its runs are the same every time. */
export const CI_SEED = 20_240_611;

/** Settings for `fc.assert`: the seed (printed so a failure can be replayed) and runs per property. */
export const fuzz = {
  long,
  seed: whole('FUZZ_SEED', long ? Date.now() % 2_147_483_647 : CI_SEED),
  /** Runs per route or per fault; a multiplier lets a suite scale its own base number. */
  runs: (ciRuns: number): number => whole('FUZZ_RUNS', long ? ciRuns * 20 : ciRuns),
};

/** How to replay these settings, printed with the counts. */
export function replayHint(): string {
  return `seed ${fuzz.seed} (replay: FUZZ_SEED=${fuzz.seed}${long ? ' FUZZ=long' : ''} npx jest test/fuzz)`;
}
