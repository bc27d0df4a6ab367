/**
 * Without redis-server (and without REDIS_TEST_URL), a Redis-backed suite says once how to install
 * one, and nothing else fails after it (no TypeError from an afterAll on a server never started).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
jest.setTimeout(180_000);

describe('Redis-backed suites without redis-server', () => {
  it('when the binary is not on PATH and REDIS_TEST_URL is unset, then the suite fails once, saying how to install it', async () => {
    const env: Record<string, string> = { HOME: process.env.HOME ?? ROOT, PATH: '/nonexistent' };
    // The helper also looks in the sbin folders; where redis-server lives there, point it nowhere.
    if (['/usr/sbin', '/usr/local/sbin'].some((d) => fs.existsSync(path.join(d, 'redis-server')))) {
      env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
    }
    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [JEST, '--ci', '-i', 'test/integration/state-redis.test.ts'],
          { cwd: ROOT, env, encoding: 'utf8', timeout: 170_000 },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : (error.code as number), output: stdout + stderr }),
        );
      },
    );
    expect(code).toBe(1);
    // Once: the message itself (the code frame under it shows the source line, not the text).
    expect(output.match(/redis-server not found\. Redis integration tests need/g)).toHaveLength(1);
    expect(output).toContain('apt-get install -y redis-server');
    expect(output).toContain('Test suite failed to run');
    expect(output).not.toContain('TypeError');
  });
});
