/**
 * WEB_CONCURRENCY in real processes: the primary forks workers sharing one port (0: the OS picks it,
 * and cluster workers share the primary's choice), replaces a worker that dies, stops them all on
 * SIGTERM, and refuses several workers without REDIS_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import type { TestRedis } from '../helpers/redis-server';
import { requireRedis, useTestRedis } from '../helpers/redis-server';
import { fixture } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const root = join(__dirname, '..', '..');

interface Server {
  child: ChildProcess;
  /** Every JSON log line so far (every process writes to the primary's stdout). */
  lines: () => Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs `src/runtime/main.ts` as `npm start` would (through tsx), on 127.0.0.1 port 0. */
function serve(env: Record<string, string>): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'runtime', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      APPS: 'appointment-reminder',
      SHUTDOWN_TIMEOUT_MS: '3000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => void (err += chunk.toString('utf8')));
  // 'close', not 'exit': 'exit' can come before the last lines in the pipe were read, and the
  // test reads the primary's last line (seen failing on a loaded machine).
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return {
    child,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => err,
    exited,
  };
}

/** One request on a connection of its own, so the primary hands each to the next worker. */
function send(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        timeout: 5_000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const listening = (s: Server) => s.lines().filter((l) => String(l.msg).startsWith('listening on'));
const pidsOf = (lines: Array<Record<string, unknown>>) => new Set(lines.map((l) => l.pid));

describe('several worker processes (WEB_CONCURRENCY)', () => {
  requireRedis();
  let redis: TestRedis;
  let running: Server | undefined;

  beforeAll(async () => {
    redis = await useTestRedis();
  });
  afterEach(async () => {
    // A failed test must not leave processes behind: workers end when their primary goes.
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
  });
  afterAll(async () => {
    await redis.release();
  });

  it('when WEB_CONCURRENCY=2 without REDIS_URL, then the server refuses to start and says why', async () => {
    running = serve({ WEB_CONCURRENCY: '2', REDIS_URL: '' });
    const code = await running.exited;
    expect(code).toBe(1);
    expect(running.stderr()).toContain(
      'WEB_CONCURRENCY=2 asks for 2 worker processes, but REDIS_URL is not set',
    );
    expect(listening(running)).toEqual([]);
  }, 30_000);

  it('when WEB_CONCURRENCY=2 with REDIS_URL, then two workers answer on one port, share state, a dead one is replaced, and SIGTERM stops them all with exit 0', async () => {
    const server = serve({ WEB_CONCURRENCY: '2', REDIS_URL: redis.url });
    running = server;
    await waitFor(() => listening(server).length >= 2, 'two workers listening', 30_000, 50);
    const [first, second] = listening(server);
    const primaryPid = server.child.pid;
    expect(first?.pid).not.toBe(second?.pid);
    expect(first?.pid).not.toBe(primaryPid);
    expect(first?.port).toBe(second?.port);
    const port = Number(first?.port);
    expect(port).toBeGreaterThan(0);
    await waitFor(
      () => server.lines().filter((l) => l.msg === 'state store: redis connected').length >= 2,
      'both workers connected to Redis',
      10_000,
      50,
    );

    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await send(port, 'GET', '/readyz')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const probes = () => server.lines().filter((l) => l.msg === 'request' && l.route === '/readyz');
    await waitFor(() => probes().length >= 6, 'the request log lines', 5_000);
    expect(pidsOf(probes())).toEqual(pidsOf(listening(server)));

    // Start and confirm on connections of their own, so the two steps land on different workers.
    const id = `cluster${Date.now().toString(16)}`;
    const session = fixture<{ session: { id: string } }>('requests/reminder-confirm-session.json');
    session.session.id = id;
    const result = fixture<{ result: { sessionId: string } }>(
      'requests/confirm-pressed-1-result.json',
    );
    result.result.sessionId = id;
    expect((await send(port, 'POST', '/apps/appointment-reminder/start', session)).status).toBe(
      200,
    );
    const confirmed = await send(port, 'POST', '/apps/appointment-reminder/on/confirm', result);
    expect(confirmed.text).toContain(
      'Your dental appointment is tomorrow at 10 AM. Your appointment is confirmed.',
    );
    await waitFor(
      () => server.lines().filter((l) => l.sessionId === id && l.msg === 'request').length >= 2,
      'the flow log lines',
      5_000,
    );
    const flow = server.lines().filter((l) => l.sessionId === id && l.msg === 'request');
    expect(pidsOf(flow).size).toBe(2);

    // A worker that dies is replaced; the service keeps answering.
    const victim = Number(first?.pid);
    process.kill(victim, 'SIGKILL');
    await waitFor(() => listening(server).length >= 3, 'a replacement worker', 30_000, 50);
    expect(server.lines().find((l) => l.msg === 'worker died')).toMatchObject({
      workerPid: victim,
      signal: 'SIGKILL',
      replacing: true,
    });
    const workers = [...pidsOf(listening(server))].filter((pid) => pid !== victim);
    expect(workers).toHaveLength(2);
    expect((await send(port, 'GET', '/healthz')).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server.lines();
    expect(pidsOf(lines.filter((l) => l.msg === 'shut down'))).toEqual(new Set(workers));
    expect(lines.at(-1)).toMatchObject({
      pid: primaryPid,
      msg: 'every worker has exited',
      exitCode: 0,
    });
    for (const pid of workers) expect(() => process.kill(Number(pid), 0)).toThrow();
  }, 90_000);
});
