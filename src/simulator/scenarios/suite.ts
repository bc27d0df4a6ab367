/** A run of scenario files: finding them, loading them, playing each, and checking or updating their snapshots. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  firstDifference,
  formatSnapshots,
  normalisedTranscript,
  parseSnapshots,
  snapshotPath,
} from './report';
import { runScenario, type ScenarioDeps, type ScenarioResult } from './run';
import { loadScenarioFile, ScenarioFileError, type LoadedScenario } from './schema';

const SCENARIO_FILE = /\.scenario\.(ya?ml|json)$/;

/** The scenario files under `paths` (files as given, folders searched), sorted; throws for a missing path. */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && SCENARIO_FILE.test(entry.name)) found.add(full);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new ScenarioFileError(`${p}: no such file or folder`);
    if (statSync(p).isDirectory()) walk(p);
    else found.add(p);
  }
  return [...found].sort();
}

/** A file that could not be loaded, in place of its scenarios. */
export interface BadFile {
  file: string;
  message: string;
}

/** Loads every file; a bad file is reported, not thrown, so the others still run. */
export function loadAll(files: readonly string[]): { scenarios: LoadedScenario[]; bad: BadFile[] } {
  const scenarios: LoadedScenario[] = [];
  const bad: BadFile[] = [];
  for (const file of files) {
    try {
      const loaded = loadScenarioFile(file);
      const names = new Set<string>();
      for (const l of loaded) {
        // Snapshots and JUnit reports are keyed by name: two alike in a file would mix up.
        if (names.has(l.scenario.name)) {
          throw new ScenarioFileError(
            `${file}:${l.line}: name: "${l.scenario.name}" is used twice in this file`,
          );
        }
        names.add(l.scenario.name);
      }
      scenarios.push(...loaded);
    } catch (error) {
      if (!(error instanceof ScenarioFileError)) throw error;
      bad.push({ file, message: error.message });
    }
  }
  return { scenarios, bad };
}

/** Checks (or with `update`, rewrites) the snapshots of the results' files; marks a difference as unmet. */
export function applySnapshots(results: readonly ScenarioResult[], update: boolean): void {
  const byFile = new Map<string, ScenarioResult[]>();
  for (const r of results) byFile.set(r.loaded.file, [...(byFile.get(r.loaded.file) ?? []), r]);
  for (const [file, list] of byFile) {
    const snapFile = snapshotPath(file);
    const stored = existsSync(snapFile)
      ? parseSnapshots(readFileSync(snapFile, 'utf8'))
      : new Map<string, string>();
    if (update) {
      for (const r of list)
        if (r.transcript) stored.set(r.loaded.scenario.name, normalisedTranscript(r.transcript));
      writeFileSync(snapFile, formatSnapshots(stored));
      continue;
    }
    for (const r of list) {
      const want = stored.get(r.loaded.scenario.name);
      if (want === undefined || r.unmet || !r.transcript) continue;
      const diff = firstDifference(want, normalisedTranscript(r.transcript));
      if (diff) {
        r.unmet = {
          key: `snapshot (${path.basename(snapFile)}, line ${diff.line + 1} of this scenario; --update rewrites it)`,
          expected: diff.expected,
          actual: diff.actual,
          line: Math.max(0, diff.line - 1),
        };
      }
    }
  }
}

/** Plays the scenarios one after another (they share one in-process server and its logs). */
export async function runAll(
  scenarios: readonly LoadedScenario[],
  deps: ScenarioDeps,
  onResult?: (r: ScenarioResult) => void,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const loaded of scenarios) {
    const result = await runScenario(loaded, deps);
    results.push(result);
    onResult?.(result);
  }
  return results;
}
