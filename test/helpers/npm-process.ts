/** An npm script run as a person runs it: its own process group, a clean environment, its output kept, and a group kill for clean-up. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The repository root (where package.json is). */
export const ROOT = path.join(__dirname, '..', '..');

/** A running npm script. */
export interface NpmProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `npm ARGS` in ROOT, detached (so it leads a process group), on 127.0.0.1 port 0, with only
 * PATH and HOME from the shell running the tests (no APPS, REDIS_URL or WEB_CONCURRENCY) plus `env`.
 */
export function spawnNpm(args: string[], env: Record<string, string> = {}): NpmProcess {
  const child = spawn('npm', args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? ROOT,
      PORT: '0',
      HOST: '127.0.0.1',
      TSX_DISABLE_CACHE: '1',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** True while any process of the group led by `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** SIGKILLs every process of the group `child` leads (a failed test leaves nothing behind). */
export function killGroup(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
}
