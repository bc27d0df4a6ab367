/** `tropo-app apps`: lists the registered apps, their channels and routes. */
import { loadConfig } from '../runtime/config';
import { loadApps } from '../server/registry';
import type { Command } from './types';

const USAGE = 'usage: tropo-app apps [--json]   (lists the registered apps; --json as data)\n';

/** Prints one line per app (or JSON with --json); exit 1 when an app cannot be loaded. */
export const apps: Command = (argv, io) => {
  const json = argv.includes('--json');
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return Promise.resolve(0);
  }
  if (argv.some((a) => a !== '--json')) {
    io.stderr(USAGE);
    return Promise.resolve(2);
  }
  try {
    const registry = loadApps(undefined, loadConfig(io.env).apps, io.env);
    const list = registry.list().map((app) => ({
      name: app.name,
      kind: app.kind,
      channels: [...app.channels],
      description: app.description,
    }));
    if (json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else {
      for (const app of list) {
        io.stdout(
          `${app.name.padEnd(22)} ${app.channels.join(',').padEnd(11)} ${app.description}\n`,
        );
      }
    }
    return Promise.resolve(0);
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return Promise.resolve(1);
  }
};
