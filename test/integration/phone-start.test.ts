/** The server as a process with the phone: refused where it would be open to anyone, on under `serve --dev` on loopback. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const ROOT = path.join(__dirname, '..', '..');
const SERVE = [process.execPath, '--require', 'tsx/cjs', 'src/cli/index.ts', 'serve'];
const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, PORT: '0' };
let running: ServerProcess | undefined;

afterEach(() => running?.kill());

/** Runs `serve` to its exit with exactly `env`; resolves with its code and everything it printed. */
function serveUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const [program = '', ...args] = SERVE;
    const child = spawn(program, args, { cwd: ROOT, env: { ...BASE_ENV, ...env } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('starting the server with the phone', () => {
  it('when PHONE_UI=on with HOST=0.0.0.0 and no API_KEY, then it refuses to start and says why', async () => {
    const { code, out } = await serveUntilExit({ PHONE_UI: 'on', HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(out).toMatch(/PHONE_UI: .*HOST=0\.0\.0\.0 \(not loopback\) it needs API_KEY/);
    expect(out).not.toMatch(/listening on/);
  });

  it('when PHONE_UI=on with more than one worker, then it refuses to start and says why', async () => {
    const { code, out } = await serveUntilExit({
      PHONE_UI: 'on',
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      // Never reached: the refusal comes before any connection.
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(out).toMatch(/PHONE_UI: .*WEB_CONCURRENCY gives 2 workers/);
  });

  it('when run as serve --dev with HOST unset, then it listens on loopback and serves /phone', async () => {
    running = await startServerProcess([...SERVE, '--dev'], { cwd: ROOT, env: BASE_ENV });
    const listening = running.logs().find((l) => String(l.msg).startsWith('listening on '));
    // Bound to loopback itself, not to every interface.
    expect(listening?.host).toBe('127.0.0.1');
    const page = await fetch(`${running.url}/phone`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="start"');
  });

  it('when run as plain serve, then /phone is a 404', async () => {
    running = await startServerProcess(SERVE, {
      cwd: ROOT,
      env: { ...BASE_ENV, HOST: '127.0.0.1' },
    });
    expect((await fetch(`${running.url}/phone`)).status).toBe(404);
  });
});
