/** `tropo-app graph APP`: draws an app's call flow as its scenarios observed it, as Mermaid text and a self-contained HTML page. */
import { writeFileSync } from 'node:fs';
import { coverageOf, htmlOf, mermaidOf } from '../simulator/scenarios';
import { parseCommandArgs, usageError } from './args';
import { playScenarioFiles, type TestCommandDeps } from './test';
import type { Command } from './types';

const USAGE = `usage: tropo-app graph APP [PATH…] [--out FILE]

Plays the scenarios of APP found under PATH (default scenarios/) and draws the call flow they
observed: handlers as nodes (with the verbs their documents held), events as edges, handlers no
scenario reached dashed. Prints Mermaid text; writes an HTML page with an SVG (no script, no CDN)
to FILE (default APP.flow.html).
`;

/** Builds the `graph` command; `graphCommand` below is the one the CLI runs. */
export function createGraphCommand(deps: TestCommandDeps = {}): Command {
  return async (argv, io) => {
    const parsed = parseCommandArgs(argv, { out: { type: 'string' } }, io, 'graph', USAGE);
    if (typeof parsed === 'number') return parsed;
    const [app, ...paths] = parsed.positionals;
    if (app === undefined) {
      return usageError(io, 'graph', USAGE, 'name the app');
    }
    const played = await playScenarioFiles(
      'graph',
      paths,
      io,
      deps,
      undefined,
      (l) => l.scenario.app === app,
    );
    if (typeof played === 'number') return played;
    const coverage = coverageOf(played.results, played.declared).find((c) => c.app === app);
    if (!coverage) {
      io.stderr(`tropo-app graph: no scenario plays the app "${app}"\n`);
      return 2;
    }
    const out = parsed.values.out ?? `${app}.flow.html`;
    writeFileSync(out, htmlOf(coverage));
    io.stdout(mermaidOf(coverage));
    io.stderr(`wrote ${out}\n`);
    const failed = played.results.filter((r) => r.unmet).length;
    if (failed > 0)
      io.stderr(`note: ${failed} of these scenarios fail (tropo-app test says why)\n`);
    return 0;
  };
}

/** The `graph` command as the CLI registers it. */
export const graphCommand: Command = createGraphCommand();
