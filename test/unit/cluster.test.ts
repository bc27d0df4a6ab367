import {
  ClusterConfigError,
  assertStateShared,
  restartBudget,
  workerCount,
} from '../../src/runtime/cluster';

describe('workerCount', () => {
  it('when WEB_CONCURRENCY is a number, then that many workers; auto means one per CPU', () => {
    expect(workerCount(3, 8)).toBe(3);
    expect(workerCount('auto', 8)).toBe(8);
    expect(workerCount('auto', 0)).toBe(1);
    expect(workerCount('auto')).toBeGreaterThanOrEqual(1);
  });
});

describe('assertStateShared', () => {
  it('when one worker runs, then no Redis is needed', () => {
    expect(() => assertStateShared(1, { webConcurrency: 1, redisUrl: undefined })).not.toThrow();
    expect(() =>
      assertStateShared(1, { webConcurrency: 'auto', redisUrl: undefined }),
    ).not.toThrow();
  });

  it('when several workers run with REDIS_URL, then they may start', () => {
    expect(() =>
      assertStateShared(4, { webConcurrency: 4, redisUrl: 'redis://127.0.0.1:6379' }),
    ).not.toThrow();
  });

  it('when several workers would run without REDIS_URL, then start-up is refused, naming both keys and why', () => {
    expect(() => assertStateShared(2, { webConcurrency: 2, redisUrl: undefined })).toThrow(
      ClusterConfigError,
    );
    expect(() => assertStateShared(2, { webConcurrency: 2, redisUrl: undefined })).toThrow(
      /^WEB_CONCURRENCY=2 asks for 2 worker processes, but REDIS_URL is not set\..*lose its state/,
    );
    expect(() => assertStateShared(6, { webConcurrency: 'auto', redisUrl: '' })).toThrow(
      /^WEB_CONCURRENCY=auto \(6 CPUs\) asks for 6 worker processes/,
    );
  });
});

describe('restartBudget', () => {
  it('when restarts come faster than the limit, then the extra ones are refused until the window slides', () => {
    const budget = restartBudget(3, 1000);
    expect([0, 10, 20, 30].map((t) => budget.allow(t))).toEqual([true, true, true, false]);
    expect(budget.allow(999)).toBe(false);
    expect(budget.allow(1000)).toBe(true);
    expect(budget.allow(1005)).toBe(false);
    expect(budget.allow(1020)).toBe(true);
  });
});
