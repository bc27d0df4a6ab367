/** Runs a real redis-server on 127.0.0.1 for integration tests: start, stop, kill, restart; no mocks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** How to get a Redis for these tests, shown whenever none can be had. */
export const HOW_TO_RUN_REDIS_TESTS =
  'Redis integration tests need a real redis-server. Install one (Debian/Ubuntu: ' +
  '`apt-get install -y redis-server`): the tests start their own on a free loopback port. ' +
  'REDIS_TEST_URL=redis://127.0.0.1:PORT serves the tests that only need a running Redis; those ' +
  'that kill and restart Redis always need the binary (or REDIS_SERVER_BIN). CI (.ci/run) installs it.';

/** A redis-server process this test run owns. */
export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly url: string;
  /** True while the process runs. */
  isRunning(): boolean;
  /** Starts it again on the same port, after `stop` or `kill`; resolves once it answers PING. */
  start(): Promise<void>;
  /** Shuts it down with SIGTERM (SIGKILL if it lingers) and waits for the exit; `start` may follow. */
  stop(): Promise<void>;
  /** Kills it with SIGKILL, as a crash would, and waits for the exit. */
  kill(): Promise<void>;
  /** `kill` then `start`. */
  restart(): Promise<void>;
  /** Suspends it (SIGSTOP): connections stay open but nothing answers, as with a hung server. */
  freeze(): void;
  /** Resumes it after `freeze` (SIGCONT). */
  thaw(): void;
  /** Stops it for good and removes its working directory; call once, at the end. */
  dispose(): Promise<void>;
}

/** The redis-server binary: `REDIS_SERVER_BIN`, else the first on PATH; `undefined` when none. */
export function findRedisServerBinary(): string | undefined {
  const explicit = process.env.REDIS_SERVER_BIN;
  const candidates =
    explicit !== undefined && explicit !== ''
      ? [explicit]
      : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin']
          .filter((dir) => dir !== '')
          .map((dir) => join(dir, 'redis-server'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  return undefined;
}

/**
 * Call inside a Redis-backed `describe` (or at the top of its file): without a Redis the suite fails
 * once, at collection, saying how to get one, instead of every test repeating it and every
 * `afterAll` then tripping over the server that never started. `binary`: the suite starts and
 * kills its own redis-server, so REDIS_TEST_URL does not do.
 */
export function requireRedis(needs: 'any' | 'binary' = 'any'): void {
  const url = process.env.REDIS_TEST_URL;
  if (needs === 'any' && url !== undefined && url !== '') return;
  if (findRedisServerBinary() === undefined) {
    throw new Error(`redis-server not found. ${HOW_TO_RUN_REDIS_TESTS}`);
  }
}

/** A loopback port free right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Resolves true when a Redis at host:port answers PING within `timeoutMs`. */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) finish(answer.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for `child` to exit, at most `timeoutMs`; resolves whether it exited. */
function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a redis-server on 127.0.0.1 (a free port unless one is given), without persistence unless
 * `appendOnly` (AOF in its private directory, fsynced on every write, so even `kill` then `start`
 * keeps every acknowledged write), and resolves once it answers PING. Throws with HOW_TO_RUN_REDIS_TESTS when there is no binary.
 */
export async function startRedisServer(
  options: { port?: number; readyTimeoutMs?: number; appendOnly?: boolean } = {},
): Promise<RedisServer> {
  const binary = findRedisServerBinary();
  if (binary === undefined) throw new Error(`redis-server not found. ${HOW_TO_RUN_REDIS_TESTS}`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'tropo-redis-'));
  let child: ChildProcess | undefined;
  let output = '';
  // A killed test run must not leave a redis-server behind.
  const reap = () => child?.kill('SIGKILL');
  process.once('exit', reap);

  async function launch(port: number): Promise<void> {
    output = '';
    const proc = spawn(
      binary as string,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        options.appendOnly === true ? 'yes' : 'no',
        '--appendfsync',
        options.appendOnly === true ? 'always' : 'everysec',
        '--daemonize',
        'no',
        '--dir',
        dir,
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    // Keep only the tail: enough to explain a failed start, bounded however long it runs.
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.once('error', (err) => keep(Buffer.from(`spawn failed: ${err.message}\n`)));

    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      if (await pingRedis(port, 250)) return;
      await sleep(50);
    }
    proc.kill('SIGKILL');
    await waitForExit(proc, 2000);
    throw new Error(`redis-server on 127.0.0.1:${port} did not become ready:\n${output}`);
  }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGCONT'); // a frozen server could not act on SIGTERM
    proc.kill(signal);
    if (!(await waitForExit(proc, 5000))) {
      proc.kill('SIGKILL');
      await waitForExit(proc, 2000);
    }
  }

  // A free port can be taken between the check and redis binding it; a few tries cover that race.
  let port = options.port ?? (await freePort());
  for (let attempt = 1; ; attempt += 1) {
    try {
      await launch(port);
      break;
    } catch (err) {
      if (options.port !== undefined || attempt >= 3) {
        process.removeListener('exit', reap);
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      port = await freePort();
    }
  }

  const server: RedisServer = {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    start: async () => {
      if (server.isRunning()) return;
      await launch(port);
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL');
      await launch(port);
    },
    freeze: () => {
      if (!server.isRunning()) throw new Error('redis-server is not running');
      child?.kill('SIGSTOP');
    },
    thaw: () => {
      if (server.isRunning()) child?.kill('SIGCONT');
    },
    dispose: async () => {
      await halt('SIGTERM');
      process.removeListener('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A Redis for tests that only need one running: REDIS_TEST_URL's, else one started here. */
export interface TestRedis {
  url: string;
  /** Stops the server if this helper started it; leaves REDIS_TEST_URL's alone. */
  release(): Promise<void>;
}

/** Uses REDIS_TEST_URL when set, else starts a private redis-server; fails loudly when neither works. */
export async function useTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_TEST_URL;
  if (url !== undefined && url !== '') return { url, release: () => Promise.resolve() };
  const server = await startRedisServer();
  return { url: server.url, release: () => server.dispose() };
}
