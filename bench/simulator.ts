/** The simulator measurement: sessions per second of a two-document flow, through a hook module that exists once src/simulator has an engine. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './stats';

/** Plays one complete session (start document, one continuation) and resolves when it has ended. */
export type PlaySession = () => Promise<void>;

/**
 * HOOK: what `bench/simulator-flow.ts` must export as `simulatorFlow` once `src/simulator` has an
 * engine. `setup` builds whatever the engine needs (the app in process, or a server on port 0)
 * and returns the player; it should reject if a played session does not end normally.
 */
export interface SimulatorFlow {
  description: string;
  setup(): Promise<{ playSession: PlaySession; close(): Promise<void> }>;
}

/** Where the hook module lives, and the folder whose absence means "no engine yet". */
export const SIMULATOR_FLOW_FILE = join(__dirname, 'simulator-flow.ts');
const SIMULATOR_DIR = join(__dirname, '..', 'src', 'simulator');

/** The hook's flow, or the reason it is skipped. */
export function loadSimulatorFlow(): SimulatorFlow | { skipped: string } {
  if (!existsSync(SIMULATOR_DIR)) {
    return { skipped: 'src/simulator has no engine yet' };
  }
  if (!existsSync(SIMULATOR_FLOW_FILE)) {
    return {
      skipped: 'src/simulator exists but bench/simulator-flow.ts (the hook) is not written yet',
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the hook module may not exist, so it cannot be a static import
  const mod: unknown = require(SIMULATOR_FLOW_FILE);
  const flow = (mod as { simulatorFlow?: Partial<SimulatorFlow> } | null)?.simulatorFlow;
  if (typeof flow?.setup !== 'function' || typeof flow.description !== 'string') {
    throw new Error('bench/simulator-flow.ts must export `simulatorFlow` (a SimulatorFlow)');
  }
  return flow as SimulatorFlow;
}

/** Sessions completed in one timed window. */
export interface SessionRate {
  sessions: number;
  seconds: number;
  perSecond: number;
}

/** Plays sessions back to back on `concurrency` lanes for `ms` milliseconds; a failed session rejects. */
export async function measureSessionRate(
  play: PlaySession,
  ms: number,
  concurrency: number,
): Promise<SessionRate> {
  const started = performance.now();
  const deadline = started + ms;
  let sessions = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await play();
      sessions++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { sessions, seconds, perSecond: sessions / seconds };
}

/** The median rate over `rounds` equal windows of a total of `totalMs`. */
export async function measureSessionsPerSecond(
  play: PlaySession,
  totalMs: number,
  concurrency: number,
  rounds = 3,
): Promise<{ perSecond: number; rounds: SessionRate[] }> {
  const results: SessionRate[] = [];
  for (let i = 0; i < rounds; i++) {
    results.push(await measureSessionRate(play, totalMs / rounds, concurrency));
  }
  return { perSecond: median(results.map((r) => r.perSecond)), rounds: results };
}
