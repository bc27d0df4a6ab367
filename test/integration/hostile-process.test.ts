/** Tests, in a separate process with real listeners, that hostile traffic never leaves a rejection or exception unhandled. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function runProbe(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('test', 'fixtures', 'hostile-traffic-probe.ts'), ...args],
      { cwd: root, timeout: 60_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('the server process under hostile traffic', () => {
  it('when fuzzed requests, slowloris, trickling and hanging-up clients hit it, then nothing goes unhandled, it still answers, and it ends by itself', async () => {
    const run = await runProbe('traffic', '15');
    expect(run.stderr).not.toContain('probe failed');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim());
    console.log(
      `hostile process probe: ${report.requests} fuzzed requests (statuses ${JSON.stringify(report.statuses)}), faults ${JSON.stringify(report.faults)}`,
    );
    expect(report.unhandled).toEqual([]);
    expect(report.uncaught).toEqual([]);
    expect(report.requests).toBe(15 * 7);
    expect(report.failed).toBe(0);
    expect(
      Object.keys(report.statuses).every((s) =>
        ['200', '400', '401', '404', '413', '415'].includes(s),
      ),
    ).toBe(true);
    expect(report.healthz).toBe(200);
    expect(report.secretsInLogs).toBe(0);
    expect(report.internalErrors).toBe(0);
  }, 70_000);

  it('when app code leaves a rejection unhandled, then the guard logs it and the process lives on', async () => {
    const run = await runProbe('guard');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim());
    expect(report.alive).toBe(true);
    expect(report.logged).toEqual(['UNHANDLED_REJECTION']);
  }, 30_000);
});
