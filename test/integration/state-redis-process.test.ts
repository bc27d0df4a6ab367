/** Tests, in a separate process with real listeners, that a Redis outage never rejects or throws unhandled. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { requireRedis } from '../helpers/redis-server';

const root = join(__dirname, '..', '..');

function runProbe(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('test', 'fixtures', 'redis-outage-probe.ts')],
      { cwd: root, timeout: 45_000, encoding: 'utf8' },
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

describe('Redis outage in a real process', () => {
  requireRedis('binary');
  it('when Redis is killed and restarted, then no rejection or exception goes unhandled, the outage is logged once, and the process ends by itself', async () => {
    const run = await runProbe();
    expect(run.stderr).not.toContain('probe failed');
    expect(run.stderr).not.toContain('[ioredis] Unhandled error event');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim());
    expect(report.unhandled).toEqual([]);
    expect(report.uncaught).toEqual([]);
    expect(report.calls).toBe(50);
    expect(report.failures).toBe(50);
    expect(report.allStateUnavailable).toBe(true);
    expect(report.failedFast).toBe(true);
    expect(report.reasonDuringOutage).toBe('redis unavailable: ECONNREFUSED');
    expect(report.after).toBe(2);
    expect(report.logs).toEqual([
      { level: 'info', message: 'state store: redis connected' },
      { level: 'warn', message: 'state store: redis down' },
      { level: 'info', message: 'state store: redis back' },
    ]);
  }, 60_000);
});
