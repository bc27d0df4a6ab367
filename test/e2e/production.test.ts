/**
 * The image's runtime layout, without Docker: the Dockerfile replayed into a temporary folder (pruned
 * install + compiled output), started with its own CMD, serving Tropo and draining on SIGTERM.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { buildProductionLayout, type ProductionLayout } from '../helpers/production-layout';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { fixtureText } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

let layout: ProductionLayout;
const running: ServerProcess[] = [];

beforeAll(() => {
  layout = buildProductionLayout();
}, 240_000);

afterEach(() => running.splice(0).forEach((s) => s.kill()));
afterAll(() => layout?.remove());

/** Starts the image's CMD in the layout with the image's ENV, on a free loopback port. */
async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess(layout.cmd, {
    cwd: layout.dir,
    env: { PATH: process.env.PATH ?? '', ...layout.env, HOST: '127.0.0.1', PORT: '0', ...env },
  });
  running.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function collect(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    res.on('error', reject);
  });
}

/** One request on a new connection; status 0 when the connection is refused. */
function call(base: string, method: string, urlPath: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(urlPath, base),
      { method, agent: false },
      (res) => void collect(res).then(resolve, reject),
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNREFUSED' ? resolve({ status: 0, headers: {}, body: '' }) : reject(err),
    );
    req.end(body);
  });
}

/**
 * A POST whose headers the server has read (it answered `100 Continue`) but whose body is only half
 * sent: a request in flight for as long as the test wants.
 */
function halfSent(
  base: string,
  urlPath: string,
  body: string,
  agent: http.Agent,
): Promise<{ finish: () => void; answer: Promise<Answer> }> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const half = Math.floor(bytes.length / 2);
    const req = http.request(new URL(urlPath, base), {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(bytes.length),
        expect: '100-continue',
      },
    });
    const answer = new Promise<Answer>((ok, fail) => {
      req.on('response', (res) => void collect(res).then(ok, fail));
      req.on('error', fail);
    });
    answer.catch(() => undefined);
    req.on('error', reject);
    req.on('continue', () => {
      req.write(bytes.subarray(0, half));
      resolve({ finish: () => req.end(bytes.subarray(half)), answer });
    });
    req.flushHeaders();
  });
}

describe("the Dockerfile's runtime layout", () => {
  it('when laid out, then it holds the compiled output and production dependencies only', () => {
    expect(fs.readdirSync(layout.dir).sort()).toEqual(
      ['dist', 'node_modules', 'package-lock.json', 'package.json'].sort(),
    );
    const modules = fs.readdirSync(path.join(layout.dir, 'node_modules'));
    expect(modules).toEqual(expect.arrayContaining(['express', 'pino', 'prom-client']));
    for (const dev of ['tsx', 'typescript', 'jest', 'ts-jest', 'eslint', 'dockerfile-utils']) {
      expect(modules).not.toContain(dev);
    }
  });

  it("when started with the image's CMD, then it serves Tropo, the probes and the metrics", async () => {
    const server = await start();
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
    expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);
    const started = await call(
      server.url,
      'POST',
      '/start',
      fixtureText('requests/reminder-session.json'),
    );
    expect(started.status).toBe(200);
    expect(started.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(started.body).tropo[0]).toEqual({ call: expect.anything() });
    const metrics = await call(server.url, 'GET', '/metrics');
    expect(metrics.body).toMatch(/^tropo_sessions_started_total\{.*\} 1$/m);

    const port = new URL(server.url).port;
    const health = (onPort: string) =>
      new Promise<number | null>((resolve) => {
        const [program = 'node', ...args] = layout.healthcheck;
        const child = execFile(program, args, {
          cwd: layout.dir,
          env: { PATH: process.env.PATH ?? '', ...layout.env, PORT: onPort },
          timeout: 10_000,
        });
        child.on('exit', (code) => resolve(code));
      });
    expect(await health(port)).toBe(0);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await health(port)).toBe(1);
  }, 30_000);

  it('when SIGTERM arrives with requests in flight, then /readyz turns 503, the listener stops, every request completes and the exit code is 0', async () => {
    const server = await start({ SHUTDOWN_DELAY_MS: '1000', SHUTDOWN_TIMEOUT_MS: '10000' });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const body = fixtureText('requests/inbound-voice-session.json');
      const inFlight = await Promise.all(
        ['/apps/ivr-menu/start', '/apps/ivr-menu/start', '/start', '/start'].map((p) =>
          halfSent(server.url, p, body, agent),
        ),
      );
      expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);

      server.child.kill('SIGTERM');
      await waitFor(
        async () => (await call(server.url, 'GET', '/readyz')).status === 503,
        '/readyz to answer 503',
      );
      await waitFor(
        async () => (await call(server.url, 'GET', '/healthz')).status === 0,
        'the listener to stop',
      );

      inFlight.forEach((r) => r.finish());
      const answers = await Promise.all(inFlight.map((r) => r.answer));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.headers.connection).toBe('close');
        expect(JSON.parse(answer.body).tropo.length).toBeGreaterThan(0);
      }
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const messages = server.logs().map((l) => l.msg);
      expect(messages).toEqual(expect.arrayContaining(['signal received', 'shut down']));
      expect(messages).not.toContain(
        'shutdown deadline reached: closed the connections still open',
      );
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('when a request in flight outlasts SHUTDOWN_TIMEOUT_MS, then its connection is cut and the exit code is still 0', async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: '300' });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const stuck = await halfSent(
        server.url,
        '/start',
        fixtureText('requests/inbound-voice-session.json'),
        agent,
      );
      server.child.kill('SIGTERM');
      // The stuck request never ends by itself, so the exit shows the deadline acted; its warning
      // says so. (A missing deadline would hang into jest's timeout: no clock bound needed.)
      expect(await server.exited).toEqual({ code: 0, signal: null });
      await expect(stuck.answer).rejects.toThrow();
      const warning = server.logs().find((l) => l.level === 'warn');
      expect(warning).toMatchObject({ abandoned: 1, timeoutMs: 300 });
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
