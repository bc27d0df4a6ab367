/** One autocannon load run against a target's scenario, reduced to the numbers the report needs. */
import autocannon from 'autocannon';
import type { ScenarioRequest } from './scenarios';
import type { Sample } from './stats';

/** A load run's sample plus what went wrong during it. */
export interface LoadSample extends Sample {
  requests: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Responses whose status was not the scenario's expected one. */
  unexpected: number;
}

/** Runs autocannon for `seconds` with `connections` keep-alive connections (no pipelining, as Tropo). */
export async function runLoad(
  port: number,
  req: ScenarioRequest,
  seconds: number,
  connections: number,
  round: number,
): Promise<LoadSample> {
  // `npm run bench` starts the harness with --expose-gc: collect the last run's garbage now rather
  // than during this run.
  (globalThis as { gc?: () => void }).gc?.();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${req.path}`,
    method: req.method,
    headers: req.headers,
    ...(req.body === undefined ? {} : { body: req.body }),
    connections,
    pipelining: 1,
    duration: seconds,
  });
  const counts = Object.values(result.statusCodeStats ?? {}).map((s) => s.count ?? 0);
  const responses = counts.reduce((a, b) => a + b, 0);
  const expected = result.statusCodeStats?.[`${req.expectStatus}`]?.count ?? 0;
  return {
    round,
    // Completed requests over the elapsed time: exact even for short runs, where autocannon's
    // per-second average rests on one or two partial buckets.
    reqPerSec: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    unexpected: responses - expected,
  };
}
