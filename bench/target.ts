/** The contract of a benchmark target module (`bench/targets/<name>.ts`) and how one is found and loaded. */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { ScenarioRequest } from './scenarios';

/** Baselines first, in the order they run; `ours` (the product) is measured when its module exists. */
export const TARGET_NAMES = ['raw-http', 'express-echo', 'tropo-webapi-peer', 'ours'] as const;

/** The name of a target, which is also its module's file name under `bench/targets/`. */
export type TargetName = (typeof TARGET_NAMES)[number];

/** The target the targets are about; the others are baselines to compare it with. */
export const CANDIDATE: TargetName = 'ours';

/** Facts about a target that travel to the harness over IPC. */
export interface TargetInfo {
  name: TargetName;
  description: string;
  /** The scenarios it answers; a scenario it leaves out is reported as missing, not as zero. */
  scenarios: ScenarioRequest[];
}

/**
 * What `bench/targets/<name>.ts` exports as `target`. The module is loaded only in its own child
 * process, so its imports, memory and CPU are never counted against another target.
 */
export interface BenchTarget extends TargetInfo {
  /** Builds the HTTP server without listening; the child listens on 127.0.0.1 port 0. */
  createServer(): Server | Promise<Server>;
}

/** True when `name` is one of the known target names. */
export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

/** The path of a target's module file. */
export function targetFile(name: TargetName): string {
  return join(__dirname, 'targets', `${name}.ts`);
}

/** The targets whose module exists in this checkout, in run order. */
export function availableTargets(): TargetName[] {
  return TARGET_NAMES.filter((name) => existsSync(targetFile(name)));
}

function isBenchTarget(value: unknown): value is BenchTarget {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<BenchTarget>;
  return (
    typeof t.name === 'string' &&
    typeof t.description === 'string' &&
    Array.isArray(t.scenarios) &&
    typeof t.createServer === 'function'
  );
}

/** Loads a target module (CommonJS `require`, so only tsx's CJS hook is needed) and checks its shape. */
export function loadTarget(name: TargetName): BenchTarget {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time, and `ours` may not exist yet
  const mod: unknown = require(targetFile(name));
  const target: unknown = (mod as { target?: unknown } | null)?.target;
  if (!isBenchTarget(target)) {
    throw new Error(`bench/targets/${name}.ts must export \`target\` (a BenchTarget)`);
  }
  if (target.name !== name) {
    throw new Error(`bench/targets/${name}.ts exports a target named "${target.name}"`);
  }
  return target;
}
