/** Cold start: from spawning a target's process to its first 200 answer, polled, as a median over several spawns. */
import { setTimeout as sleep } from 'node:timers/promises';
import { send, spawnTarget } from './children';
import { median } from './stats';
import type { TargetName } from './target';

const POLL_DEADLINE_MS = 10_000;
const POLL_INTERVAL_MS = 5;

/** Spawns the target once and times spawn → first 200 to its start scenario, in milliseconds. */
export async function coldStartOnce(name: TargetName): Promise<number> {
  const running = await spawnTarget(name);
  try {
    const req =
      running.info.scenarios.find((s) => s.scenario === 'start' && s.expectStatus === 200) ??
      running.info.scenarios.find((s) => s.expectStatus === 200);
    if (req === undefined) throw new Error(`target ${name} has no scenario answering 200`);
    // Listening is not answering: a server may still be loading apps, so poll until it says 200.
    while (performance.now() - running.spawnedAt < POLL_DEADLINE_MS) {
      try {
        const answer = await send(running.port, req, 2_000);
        if (answer.status === 200) return performance.now() - running.spawnedAt;
      } catch {
        // not accepting connections yet
      }
      await sleep(POLL_INTERVAL_MS);
    }
    throw new Error(`target ${name} gave no 200 within ${POLL_DEADLINE_MS} ms of spawning`);
  } finally {
    await running.stop();
  }
}

/** `times` spawns per target, interleaved across targets (A B C, A B C…), one at a time. */
export async function measureColdStarts(
  names: readonly TargetName[],
  times: number,
): Promise<Partial<Record<TargetName, { samplesMs: number[]; medianMs: number }>>> {
  const samples = new Map<TargetName, number[]>(names.map((n) => [n, []]));
  for (let i = 0; i < times; i++) {
    for (const name of names) samples.get(name)?.push(await coldStartOnce(name));
  }
  const out: Partial<Record<TargetName, { samplesMs: number[]; medianMs: number }>> = {};
  for (const [name, ms] of samples) {
    out[name] = {
      samplesMs: ms.map((v) => Math.round(v * 10) / 10),
      medianMs: Math.round(median(ms) * 10) / 10,
    };
  }
  return out;
}
