/** Tests that building the metrics leaves prom-client's process metrics (and @opentelemetry/api) unloaded until the first scrape. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs `script` in a fresh node with tsx, so the module cache is the process's own. */
function run(script: string): unknown {
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ESBUILD_WORKER_THREADS: '0' },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('metrics at start-up', () => {
  it('when the metrics are made, then the process metrics load only on the first scrape', () => {
    const seen = run(`
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('@opentelemetry'));
      const { createMetrics } = require('./src/server/metrics');
      const metrics = createMetrics({ appNames: ['a'] });
      metrics.requests.requestFinished({ method: 'POST', route: '/start', status: 200, seconds: 0.001, app: 'a', document: true });
      const before = loaded();
      metrics.render().then((text) => {
        process.stdout.write(JSON.stringify({ before, after: loaded(), cpu: /^process_cpu_user_seconds_total \\d/m.test(text), ours: text.includes('tropo_documents_served_total{app="a",route="/start"} 1') }));
      });
    `);
    expect(seen).toEqual({ before: false, after: true, cpu: true, ours: true });
  });
});
