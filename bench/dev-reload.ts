/**
 * Measures how fast the dev loop's watchers restart the server after a save: `tsx watch` against
 * `node --watch --require tsx/cjs` (run: `npx tsx bench/dev-reload.ts [ROUNDS]`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { utimesSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const touched = path.join(root, 'apps', 'ivr-menu', 'index.ts');
const rounds = Number(process.argv[2] ?? 5);

const watchers: Record<string, string[]> = {
  'tsx watch': [
    path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    'watch',
    '--clear-screen=false',
    '--include',
    'apps',
    '--include',
    'routes',
    'src/cli/index.ts',
    'serve',
  ],
  'node --watch': [
    '--watch-path=apps',
    '--watch-path=src',
    '--watch-path=routes',
    '--watch-preserve-output',
    '--require',
    'tsx/cjs',
    'src/cli/index.ts',
    'serve',
  ],
};

/** Resolves at the next "listening" log line of `child`, with the time it took. */
function nextListening(child: ChildProcess): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      if (chunk.toString('utf8').includes('"listening on')) {
        child.stdout?.off('data', onData);
        resolve(performance.now() - started);
      }
    };
    child.stdout?.on('data', onData);
    setTimeout(() => reject(new Error('no listening line within 30 s')), 30_000).unref();
  });
}

/**
 * Runs every watcher at once and saves one file per round, so each round restarts them all under
 * the same load (on a busy machine, runs one after the other would measure the load, not the watcher).
 */
async function measureAll(): Promise<void> {
  const children = Object.entries(watchers).map(([name, args]) => ({
    name,
    times: [] as number[],
    child: spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ESBUILD_WORKER_THREADS: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  }));
  try {
    await Promise.all(children.map((c) => nextListening(c.child)));
    for (let i = 0; i < rounds; i += 1) {
      // A pause between saves, so each restart is its own (watchers debounce bursts).
      await new Promise((r) => setTimeout(r, 1000));
      const restarted = children.map((c) => nextListening(c.child));
      const now = new Date();
      utimesSync(touched, now, now);
      const times = await Promise.all(restarted);
      children.forEach((c, k) => c.times.push(times[k] ?? NaN));
    }
    for (const { name, times } of children) {
      process.stdout.write(
        `${name.padEnd(14)} median ${median(times).toFixed(0)} ms  (${times.map((t) => t.toFixed(0)).join(', ')})\n`,
      );
    }
  } finally {
    for (const { child } of children) child.kill('SIGTERM');
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

measureAll().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
