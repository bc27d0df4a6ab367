/** The container's health check (the Dockerfile's HEALTHCHECK): node itself asks this server's /healthz, no curl needed. */
import { request } from 'node:http';
import { isIP } from 'node:net';
import { loadConfig, loadDotEnv, type Config } from './config';

/** Resolves true when a GET of `url` answers 200 within `timeoutMs`; never rejects. */
export function checkHealth(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The /healthz URL of the server this configuration starts: a wildcard host is reached on loopback. */
export function healthUrl(config: Pick<Config, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${config.port}/healthz`;
}

/** Runs the check as this process: exit 0 when healthy, 1 otherwise. */
export async function main(): Promise<void> {
  loadDotEnv();
  const healthy = await checkHealth(healthUrl(loadConfig()), 3000);
  process.exitCode = healthy ? 0 : 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
