/** The `tropo-app` program itself (bin/tropo-app.js → main → runCli), spawned as a user runs it: exit codes and output. */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait-for';

const root = path.join(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'tropo-app.js');

// Each test starts tsx cold, which on a loaded machine can take many seconds: these limits only
// guard against a hang.
jest.setTimeout(60_000);

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('bin/tropo-app.js', () => {
  it('when run with --help, then usage listing every command on stdout and exit 0', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: tropo-app <command> \[options\]/);
    for (const command of ['serve', 'apps', 'validate', 'session', 'simulate', 'fake-tropo']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    expect(stderr).toBe('');
  });

  it('when run with an unknown command, then it names it on stderr with the usage and exits 2', async () => {
    const { code, stdout, stderr } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('tropo-app: unknown command "frobnicate"');
    expect(stderr).toContain('usage: tropo-app');
    expect(stdout).toBe('');
  });

  it('when run without a command, then usage on stderr and exit 2', async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: tropo-app/);
  });

  it('when a command fails, then its exit code reaches the shell (apps with a bad APPS: 1)', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [bin, 'apps'],
          { cwd: root, timeout: 30_000, encoding: 'utf8', env: { ...process.env, APPS: 'nope' } },
          (error, _stdout, err) =>
            resolve({ code: error === null ? 0 : (error.code as number), stderr: err }),
        );
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('APPS names "nope"');
  });

  it('when run with serve, then it listens, answers /healthz, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        RELAY_TO: '+14155550199',
        WEB_CONCURRENCY: '1',
        SHUTDOWN_DELAY_MS: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitFor(() => output.includes('listening on'), 'the server to listen', 20_000);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('when the reader of stdout goes away (| head -1), then the command ends quietly, exit 0', async () => {
    // The read end is closed before the program writes anything, so every write meets EPIPE.
    const child = spawn(process.execPath, [bin, 'apps'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect({ ...exited, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
