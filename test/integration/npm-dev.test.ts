/**
 * `npm run dev` as an app author runs it: human-readable log lines (not JSON) in the terminal, and
 * the server restarting by itself when a file under `apps/` or `src/` is saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { killGroup, ROOT, spawnNpm, type NpmProcess } from '../helpers/npm-process';
import { waitFor } from '../helpers/wait-for';

let dev: NpmProcess | undefined;

afterEach(() => {
  // The watcher, the server and pino-pretty share one process group: end them together.
  killGroup(dev?.child);
  dev = undefined;
});

/** Saves `file` without changing it: watchers see a change event, git sees nothing. */
function save(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

describe('npm run dev', () => {
  it('when a file of an app or of src/ is saved, then the server restarts, logging readable lines', async () => {
    const started = spawnNpm(['run', '-s', 'dev']);
    dev = started;
    const out = () => started.output();
    const listening = () =>
      out()
        .split('\n')
        .filter((l) => / INFO: listening on http:/.test(l));

    await waitFor(() => listening().length === 1, `a first "listening" line in:\n${out()}`, 60_000);
    // Readable: a time and a level first, not a JSON object.
    expect(listening()[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on /);
    expect(out()).not.toMatch(/^\{"level"/m);

    save(path.join(ROOT, 'apps', 'ivr-menu', 'index.ts'));
    await waitFor(
      () => listening().length === 2,
      `a restart after saving an app:\n${out()}`,
      60_000,
    );
    // Saves in quick succession are one restart; wait a beat so the next save is its own.
    await new Promise((resolve) => setTimeout(resolve, 500));
    save(path.join(ROOT, 'src', 'server', 'app-name.ts'));
    await waitFor(() => listening().length === 3, `a restart after saving src/:\n${out()}`, 60_000);
    expect(out()).toContain('INFO: shut down');
  }, 200_000);
});
