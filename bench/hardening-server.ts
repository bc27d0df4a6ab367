/** For `npm run bench:hardening`: the product server as its own process (as `npm start` runs it), its RSS, and a /healthz prober on its own thread. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort } from '../test/helpers/redis-server';

const ROOT = join(__dirname, '..');
const READY_TIMEOUT_MS = 30_000;

/** A server process this run owns. */
export interface ServerProcess {
  pid: number;
  port: number;
  /** Resident set size now and its peak so far (Linux /proc), in bytes. */
  rss(): { rss: number; peak: number };
  /** CPU time (user + system) the process has used so far, in ms (Linux /proc). */
  cpuMs(): number;
  /** Stops it (SIGTERM, SIGKILL if it lingers) and waits for the exit. */
  stop(): Promise<void>;
}

/** One GET on loopback: status and body. */
export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5_000, () => req.destroy(new Error(`GET ${path}: no answer within 5 s`)));
    req.once('error', reject);
    req.end();
  });
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Clock ticks per second of /proc/PID/stat: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

function cpuMsOf(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the
  // 12th, stime the 13th.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `tropo-app serve` on 127.0.0.1 with the defaults plus `env`, one node process (no npm or
 * tsx wrapper, so its pid is the server's), and resolves once /healthz answers.
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(ROOT, 'src/cli/index.ts'), 'serve'],
    {
      cwd: ROOT,
      // Only what the server needs: an operator's own variables must not change the figures.
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ESBUILD_WORKER_THREADS: '0',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      // The request log goes nowhere (as in `npm run bench`); errors still show.
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server process did not start');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const answer = await get(port, '/healthz').catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid,
    port,
    rss: () => ({ rss: statusKiB(pid, 'VmRSS'), peak: statusKiB(pid, 'VmHWM') }),
    cpuMs: () => cpuMsOf(pid),
    stop: async () => {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      process.removeListener('exit', reap);
    },
  };
}

/** A /healthz prober running until stopped; `stop` resolves with every latency it saw, in ms. */
export interface HealthProbe {
  stop(): Promise<{ latencies: number[]; failures: number }>;
}

/**
 * The prober runs on a worker thread so the load generator's work on the main thread does not
 * delay its clock: one GET at a time, every `gapMs`, each timed from send to the end of the answer.
 */
const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const latencies = [];
let failures = 0;
let running = true;
parentPort.on('message', () => { running = false; });
function once() {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port: workerData.port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - started); else failures += 1;
        resolve();
      });
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', () => { failures += 1; resolve(); });
    req.end();
  });
}
(async () => {
  while (running) {
    await once();
    await new Promise((r) => setTimeout(r, workerData.gapMs));
  }
  agent.destroy();
  parentPort.postMessage({ latencies, failures });
})();
`;

/** Starts probing /healthz on `port` every `gapMs`. */
export function probeHealth(port: number, gapMs = 20): HealthProbe {
  const worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { port, gapMs } });
  const result = new Promise<{ latencies: number[]; failures: number }>((resolve, reject) => {
    worker.once('message', (m: { latencies: number[]; failures: number }) => resolve(m));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const out = await result;
      await worker.terminate();
      return out;
    },
  };
}

/** The `q` quantile (0–1) of `values` (nearest rank); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
