/**
 * `npm run dev` as an app author runs it: human-readable log lines (not JSON) in the terminal, and
 * the server restarting by itself when a file under `apps/` or `src/` is saved.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../helpers/wait-for';

const ROOT = path.join(__dirname, '..', '..');
let dev: ChildProcess | undefined;

afterEach(() => {
  // The watcher, the server and pino-pretty share one process group: end them together.
  if (dev?.pid !== undefined) {
    try {
      process.kill(-dev.pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  dev = undefined;
});

/** Saves `file` without changing it: watchers see a change event, git sees nothing. */
function save(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

describe('npm run dev', () => {
  it('when a file of an app or of src/ is saved, then the server restarts, logging readable lines', async () => {
    dev = spawn('npm', ['run', '-s', 'dev'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? ROOT,
        PORT: '0',
        HOST: '127.0.0.1',
        TSX_DISABLE_CACHE: '1',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    dev.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    dev.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const listening = () => out.split('\n').filter((l) => / INFO: listening on http:/.test(l));

    await waitFor(() => listening().length === 1, `a first "listening" line in:\n${out}`, 60_000);
    // Readable: a time and a level first, not a JSON object.
    expect(listening()[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on /);
    expect(out).not.toMatch(/^\{"level"/m);

    save(path.join(ROOT, 'apps', 'ivr-menu', 'index.ts'));
    await waitFor(() => listening().length === 2, `a restart after saving an app:\n${out}`, 60_000);
    // Saves in quick succession are one restart; wait a beat so the next save is its own.
    await new Promise((resolve) => setTimeout(resolve, 500));
    save(path.join(ROOT, 'src', 'server', 'app-name.ts'));
    await waitFor(() => listening().length === 3, `a restart after saving src/:\n${out}`, 60_000);
    expect(out).toContain('INFO: shut down');
  }, 200_000);
});
