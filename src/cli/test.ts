/** `tropo-app test`: runs scenario files (`*.scenario.yaml`) against apps and says which pass, for CI. */
import { writeFileSync } from 'node:fs';
import {
  appStartUrl,
  startLocalServer,
  type LocalServer,
  type LocalServerOptions,
} from '../simulator';
import type { AppRegistry } from '../server/registry';
import {
  applySnapshots,
  coverageOf,
  formatCoverage,
  type DeclaredHandlers,
  findScenarioFiles,
  junitXml,
  loadAll,
  resultLines,
  runAll,
  ScenarioFileError,
  type BadFile,
  type LoadedScenario,
  type ScenarioResult,
} from '../simulator/scenarios';
import { parseCommandArgs, usageError } from './args';
import type { Command, CommandIO } from './types';

const USAGE = `usage: tropo-app test [PATH…] [options]

Runs the scenarios in *.scenario.yaml (or .json) files under PATH (default scenarios/): each
plays one session against an app and checks what its "expect" says must happen.

  --coverage       per app: handlers declared vs reached, the events that led to each, the
                   verbs answered, and the handlers no scenario reached
  --junit FILE     also write a JUnit XML report to FILE
  --update         write each file's normalised transcripts to FILE.snap beside it; later runs
                   fail when a transcript differs from its snapshot
  --timeout-ms N   how long to wait for each answer of the app (default 10000)

Apps named with "app:" run in this process (configured by the environment), their log lines at
warn and above shown in the transcript; a "launch:" with "campaign: true" carries a campaign
reference that server verifies, so "expect: {outcome: …}" checks what the app reported.

Prints PASS or FAIL per scenario, then "N passed, M failed".

Exit status: 0 every scenario passed; 1 one failed or a file is bad; 2 usage error.
`;

/** What the command needs besides its IO; tests inject a registry. */
export interface TestCommandDeps {
  localServer?: Omit<LocalServerOptions, 'env'>;
}

/** The handlers each registered app declares: `start`, then its `on` handlers. */
export function declaredHandlers(registry: AppRegistry): DeclaredHandlers {
  const out = new Map<string, string[]>();
  for (const app of registry.list()) {
    const module = registry.module(app.name);
    out.set(app.name, ['start', ...Object.keys(module?.definition.on ?? {})]);
  }
  return out;
}

/** What playing scenario files gave. */
export interface Played {
  results: ScenarioResult[];
  bad: BadFile[];
  declared: DeclaredHandlers;
}

/**
 * Finds, loads and plays the scenarios under `paths` (default scenarios/) that `wanted` keeps, with
 * one in-process server for those naming an app; resolves to an exit code on a usage problem.
 */
export async function playScenarioFiles(
  command: string,
  paths: readonly string[],
  io: CommandIO,
  deps: TestCommandDeps,
  timeout: string | undefined,
  wanted: (scenario: LoadedScenario) => boolean,
): Promise<Played | number> {
  let files: string[];
  try {
    files = findScenarioFiles(paths.length > 0 ? paths : ['scenarios']);
  } catch (error) {
    if (!(error instanceof ScenarioFileError)) throw error;
    io.stderr(`tropo-app ${command}: ${error.message}\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`tropo-app ${command}: no *.scenario.yaml files found\n`);
    return 2;
  }
  const loaded = loadAll(files);
  const scenarios = loaded.scenarios.filter(wanted);
  let server: LocalServer | undefined;
  if (scenarios.some((l) => l.scenario.app !== undefined)) {
    try {
      server = await startLocalServer({ captureLogs: true, ...deps.localServer, env: io.env });
    } catch (error) {
      io.stderr(
        `tropo-app ${command}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  }
  const declared = server ? declaredHandlers(server.registry) : new Map<string, string[]>();
  try {
    const running = server;
    const results = await runAll(scenarios, {
      appUrl: (name) => (running ? appStartUrl(running.origin, running.registry, name) : undefined),
      appLogs: running?.drainLogs,
      campaignLaunch: running?.campaignLaunch,
      timeoutMs: timeout === undefined ? undefined : Number(timeout),
    });
    return { results, bad: loaded.bad, declared };
  } finally {
    await server?.close();
  }
}

/** Builds the `test` command; `testCommand` below is the one the CLI runs. */
export function createTestCommand(deps: TestCommandDeps = {}): Command {
  return async (argv, io) => {
    const parsed = parseCommandArgs(
      argv,
      {
        junit: { type: 'string' },
        update: { type: 'boolean' },
        coverage: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
      },
      io,
      'test',
      USAGE,
    );
    if (typeof parsed === 'number') return parsed;
    const v = parsed.values;
    const timeout = v['timeout-ms'];
    if (timeout !== undefined && (!/^\d+$/.test(timeout) || Number(timeout) < 1)) {
      return usageError(
        io,
        'test',
        USAGE,
        `--timeout-ms must be a whole number from 1, got "${timeout}"`,
      );
    }
    const played = await playScenarioFiles(
      'test',
      parsed.positionals,
      io,
      deps,
      timeout,
      () => true,
    );
    if (typeof played === 'number') return played;
    const { results, bad, declared } = played;
    applySnapshots(results, v.update === true);

    for (const file of bad) io.stdout(`FAIL ${file.message}\n`);
    for (const result of results) io.stdout(`${resultLines(result).join('\n')}\n`);
    const failed = results.filter((r) => r.unmet).length + bad.length;
    const passed = results.length - results.filter((r) => r.unmet).length;
    if (v.junit !== undefined) writeFileSync(v.junit, junitXml(results, bad));
    if (v.coverage) io.stdout(formatCoverage(coverageOf(results, declared)));
    io.stdout(`${passed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  };
}

/** The `test` command as the CLI registers it. */
export const testCommand: Command = createTestCommand();
