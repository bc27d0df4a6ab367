import { stateFailures } from '../../src/server/state-failures';

describe('stateFailures', () => {
  it('when failures follow each other, then only the first opens an outage', () => {
    const failures = stateFailures();
    expect(failures.failed()).toBe(true);
    expect(failures.failed()).toBe(false);
    expect(failures.failed()).toBe(false);
  });

  it('when a call succeeds after failures, then the outage closes with its count and the next failure opens another', () => {
    const failures = stateFailures();
    expect(failures.succeeded()).toBeUndefined();
    failures.failed();
    failures.failed();
    expect(failures.succeeded()).toBe(2);
    expect(failures.succeeded()).toBeUndefined();
    expect(failures.failed()).toBe(true);
    expect(failures.succeeded()).toBe(1);
  });
});
