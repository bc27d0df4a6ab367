/** Tests of the benchmark's pure parts: medians, paired ratios, the target checks and the table formatting. */
import type { LoadSample } from '../../bench/load';
import { checksOf, ratiosOf, type ByScenario } from '../../bench/results';
import { SCENARIOS } from '../../bench/scenarios';
import {
  check,
  formatRatioStat,
  formatTable,
  markdownTable,
  median,
  pairedRatio,
  ratioPairs,
  rotate,
  summarise,
  type Sample,
} from '../../bench/stats';
import type { TargetName } from '../../bench/target';

function sample(round: number, reqPerSec: number, p99: number): LoadSample {
  return { round, reqPerSec, p50: p99 / 4, p99, requests: reqPerSec * 3, errors: 0, unexpected: 0 };
}

describe('median', () => {
  it('when the count is odd, then it is the middle value whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('when the count is even, then it is the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('when given an outlier, then it is not pulled towards it', () => {
    expect(median([100, 101, 99, 5000, 100])).toBe(100);
  });

  it('when the list is empty, then it throws', () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it('when summarising rounds, then each metric gets its own median', () => {
    const rounds: Sample[] = [
      { round: 1, reqPerSec: 10, p50: 3, p99: 30 },
      { round: 2, reqPerSec: 30, p50: 1, p99: 10 },
      { round: 3, reqPerSec: 20, p50: 2, p99: 20 },
    ];
    expect(summarise(rounds)).toEqual({ rounds: 3, reqPerSec: 20, p50: 2, p99: 20 });
  });
});

describe('pairedRatio', () => {
  it('when rounds pair up, then the ratio is the median of the per-round ratios with their range', () => {
    const ours = [sample(1, 90, 12), sample(2, 200, 10), sample(3, 50, 11)];
    const ref = [sample(1, 100, 10), sample(2, 200, 10), sample(3, 100, 10)];
    expect(pairedRatio(ours, ref, 'reqPerSec')).toEqual({
      median: 0.9,
      min: 0.5,
      max: 1,
      rounds: 3,
    });
    expect(pairedRatio(ours, ref, 'p99')?.median).toBeCloseTo(1.1);
  });

  it('when a round is missing on one side, then only the paired rounds count', () => {
    const ours = [sample(1, 80, 10), sample(2, 120, 10)];
    const ref = [sample(2, 100, 10)];
    expect(pairedRatio(ours, ref, 'reqPerSec')).toEqual({
      median: 1.2,
      min: 1.2,
      max: 1.2,
      rounds: 1,
    });
  });

  it('when nothing pairs, then there is no ratio', () => {
    expect(pairedRatio([sample(1, 80, 10)], [sample(2, 80, 10)], 'reqPerSec')).toBeUndefined();
  });
});

describe('ratio pairs and rotation', () => {
  it('when listing pairs, then each target is compared with every one before it', () => {
    expect(ratioPairs(['raw', 'express', 'peer', 'ours'])).toEqual([
      ['ours', 'raw'],
      ['ours', 'express'],
      ['ours', 'peer'],
      ['peer', 'raw'],
      ['peer', 'express'],
      ['express', 'raw'],
    ]);
  });

  it('when rotating by the round, then every target takes every position', () => {
    expect(rotate(['A', 'B', 'C'], 0)).toEqual(['A', 'B', 'C']);
    expect(rotate(['A', 'B', 'C'], 1)).toEqual(['B', 'C', 'A']);
    expect(rotate(['A', 'B', 'C'], 5)).toEqual(['C', 'A', 'B']);
    expect(rotate([], 3)).toEqual([]);
  });
});

describe('target checks', () => {
  const rounds: ByScenario<LoadSample[]> = {
    start: {
      'express-echo': [sample(1, 1000, 20), sample(2, 1000, 20), sample(3, 1000, 20)],
      'tropo-webapi-peer': [sample(1, 900, 22), sample(2, 900, 22), sample(3, 900, 22)],
      ours: [sample(1, 950, 23), sample(2, 920, 22), sample(3, 880, 30)],
    },
    continue: {
      'express-echo': [sample(1, 1000, 20), sample(2, 1000, 20)],
      'tropo-webapi-peer': [sample(1, 1000, 20), sample(2, 1000, 20)],
      ours: [sample(1, 950, 20), sample(2, 950, 20)],
    },
  };
  const order: TargetName[] = ['express-echo', 'tropo-webapi-peer', 'ours'];
  const ratios = ratiosOf(rounds, ['start', 'continue'], order);
  const checks = checksOf({
    ratios,
    scenarios: [SCENARIOS.start, SCENARIOS.continue, SCENARIOS.static],
    coldStart: {
      ours: { samplesMs: [300, 320, 310], medianMs: 310 },
      'express-echo': { samplesMs: [280, 270, 290], medianMs: 280 },
    },
    memory: { ours: { rssMB: 130, heapUsedMB: 30, rssAfterGcMB: 128, heapUsedAfterGcMB: 15 } },
  });
  const verdict = (name: string): boolean | undefined => checks.find((c) => c.name === name)?.pass;

  it('when ours is within 0.9× of express-echo, then that check passes', () => {
    expect(checks.find((c) => c.name === 'start: req/s vs express-echo')?.value).toBeCloseTo(0.92);
    expect(verdict('start: req/s vs express-echo')).toBe(true);
  });

  it('when ours beats the peer in most rounds, then the median ratio passes the peer check', () => {
    expect(checks.find((c) => c.name === 'start: req/s vs tropo-webapi-peer')?.value).toBeCloseTo(
      1.022,
      3,
    );
    expect(verdict('start: req/s vs tropo-webapi-peer')).toBe(true);
  });

  it('when ours is 5% slower than the peer, then the peer check fails', () => {
    expect(verdict('continue: req/s vs express-echo')).toBe(true);
    expect(verdict('continue: req/s vs tropo-webapi-peer')).toBe(false);
  });

  it('when the p99 ratio is 1.15, then it is within the 1.3 limit', () => {
    expect(checks.find((c) => c.name === 'start: p99 vs express-echo')?.value).toBeCloseTo(1.15);
    expect(verdict('start: p99 vs express-echo')).toBe(true);
  });

  it('when a scenario is not a full pipeline, then no throughput target is set for it', () => {
    expect(checks.some((c) => c.name.startsWith('static:'))).toBe(false);
  });

  it('when cold start is 310 ms against express-echo at 280, then the 1.11 ratio is within 1.2', () => {
    expect(checks.find((c) => c.name === 'cold start vs express-echo')?.value).toBeCloseTo(1.11);
    expect(verdict('cold start vs express-echo')).toBe(true);
  });

  it('when a measurement is missing, then its check fails rather than passing silently', () => {
    // ours has an RSS reading, express-echo none: the ratio cannot be made.
    expect(verdict('RSS after load vs express-echo')).toBe(false);
  });

  it('when comparing by hand, then both directions work', () => {
    expect(check('x', 0.89, '>=', 0.9).pass).toBe(false);
    expect(check('x', 1.2, '<=', 1.2).pass).toBe(true);
  });
});

describe('tables', () => {
  it('when formatting a ratio with several rounds, then its range follows in brackets', () => {
    expect(formatRatioStat({ median: 0.934, min: 0.9, max: 0.97, rounds: 5 })).toBe(
      '0.93× (0.90–0.97)',
    );
    expect(formatRatioStat({ median: 1.2, min: 1.2, max: 1.2, rounds: 1 })).toBe('1.20×');
    expect(formatRatioStat(undefined)).toBe('—');
  });

  it('when printing a text table, then columns are padded and numbers align right', () => {
    const table = formatTable(
      ['scenario', 'req/s'],
      [
        ['start', '9'],
        ['continue', '12345'],
      ],
      ['left', 'right'],
    );
    expect(table.split('\n')).toEqual([
      'scenario  req/s',
      '--------  -----',
      'start         9',
      'continue  12345',
    ]);
  });

  it('when writing a markdown table, then numeric columns are right-aligned and pipes escaped', () => {
    expect(markdownTable(['a', 'n'], [['x|y', '1']], ['left', 'right'])).toBe(
      '| a | n |\n| --- | --: |\n| x\\|y | 1 |',
    );
  });
});
