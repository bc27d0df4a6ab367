/** Pure statistics of the benchmark: medians over rounds, paired ratios between targets, target checks and plain-text tables. */

/** One load run of one target on one scenario. */
export interface Sample {
  round: number;
  /** Completed requests per second of the run. */
  reqPerSec: number;
  /** Latency percentiles, milliseconds. */
  p50: number;
  p99: number;
}

/** The metrics a ratio can be taken of. */
export type Metric = 'reqPerSec' | 'p50' | 'p99';

/** Medians over the rounds of one target on one scenario. */
export interface Summary {
  rounds: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

/** A ratio between two targets: the median of the per-round ratios and their spread. */
export interface RatioStat {
  median: number;
  min: number;
  max: number;
  rounds: number;
}

/** The median of a non-empty list (the mean of the two middle values when the count is even). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Medians of each metric over the given rounds. */
export function summarise(samples: readonly Sample[]): Summary {
  return {
    rounds: samples.length,
    reqPerSec: median(samples.map((s) => s.reqPerSec)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
  };
}

/**
 * The ratio subject/reference of a metric, paired round by round. Rounds are interleaved, so a
 * pair ran seconds apart and shares the machine's mood; the median of the pairs is steadier than
 * the ratio of two medians. Undefined when no round has both (or a reference value is zero).
 */
export function pairedRatio(
  subject: readonly Sample[],
  reference: readonly Sample[],
  metric: Metric,
): RatioStat | undefined {
  const byRound = new Map(reference.map((s) => [s.round, s[metric]]));
  const ratios: number[] = [];
  for (const s of subject) {
    const ref = byRound.get(s.round);
    if (ref !== undefined && ref > 0) ratios.push(s[metric] / ref);
  }
  if (ratios.length === 0) return undefined;
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds: ratios.length,
  };
}

/** The pairs worth a ratio: each target against every target listed before it (the more basic ones). */
export function ratioPairs<T>(targets: readonly T[]): [subject: T, reference: T][] {
  const pairs: [T, T][] = [];
  for (let i = targets.length - 1; i > 0; i--) {
    for (let j = 0; j < i; j++) pairs.push([targets[i] as T, targets[j] as T]);
  }
  return pairs;
}

/** The list turned left by `k` places ([A,B,C] by 1 is [B,C,A]), so each item takes each position in turn. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const n = ((k % items.length) + items.length) % items.length;
  return [...items.slice(n), ...items.slice(0, n)];
}

/** A pass/fail check of one measured value against a limit. */
export interface Check {
  name: string;
  value: number;
  comparison: '>=' | '<=';
  limit: number;
  pass: boolean;
}

/** Checks `value comparison limit`; a missing (NaN) value fails. */
export function check(name: string, value: number, comparison: '>=' | '<=', limit: number): Check {
  const pass = comparison === '>=' ? value >= limit : value <= limit;
  return { name, value, comparison, limit, pass };
}

/** A ratio as printed: two decimals and a times sign. */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** A ratio with its per-round range, e.g. `0.93× (0.90–0.97)`. */
export function formatRatioStat(stat: RatioStat | undefined): string {
  if (stat === undefined) return '—';
  if (stat.rounds === 1) return formatRatio(stat.median);
  return `${formatRatio(stat.median)} (${stat.min.toFixed(2)}–${stat.max.toFixed(2)})`;
}

/** A number rounded for a table: no decimals from 100 up, else up to two significant decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  return Number(value.toFixed(2)).toString();
}

/** Column alignment: text left, numbers right. */
export type Align = 'left' | 'right';

/** A plain-text table with padded columns and a rule under the header. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => {
        const cell = cells[i] ?? '';
        return align[i] === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A markdown table (prettier aligns it afterwards). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const rule = header.map((_, i) => (align[i] === 'right' ? '--:' : '---'));
  const line = (cells: readonly string[]): string =>
    `| ${header.map((_, i) => (cells[i] ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}
