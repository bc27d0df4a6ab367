/** Renders a run's results: the ratio table printed to stdout, bench/RESULTS.md, a small SVG chart, and bench/results.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format as prettierFormat, resolveConfig } from 'prettier';
import { LIMITS, type BenchResults } from './results';
import {
  formatNumber,
  formatRatioStat,
  formatTable,
  markdownTable,
  type Align,
  type Check,
} from './stats';
import type { TargetName } from './target';

/** A table as data, rendered either as text or as markdown. */
interface Table {
  header: string[];
  rows: string[][];
  align: Align[];
}

const MB = 1024 * 1024;

/** Bytes to megabytes, rounded to a tenth. */
export function toMB(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}

function mediansTable(r: BenchResults): Table {
  const rows: string[][] = [];
  for (const { name } of r.scenarios) {
    for (const { name: target } of r.targets) {
      const m = r.medians[name]?.[target];
      if (m === undefined) continue;
      rows.push([
        name,
        target,
        formatNumber(m.reqPerSec),
        formatNumber(m.p50),
        formatNumber(m.p99),
        String(m.rounds),
      ]);
    }
  }
  return {
    header: ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'rounds'],
    rows,
    align: ['left', 'left', 'right', 'right', 'right', 'right'],
  };
}

function ratiosTable(r: BenchResults): Table {
  return {
    header: ['scenario', 'subject / reference', 'req/s ratio', 'p99 ratio'],
    rows: r.ratios.map((row) => [
      row.scenario,
      `${row.subject} / ${row.reference}`,
      formatRatioStat(row.reqPerSec),
      formatRatioStat(row.p99),
    ]),
    align: ['left', 'left', 'right', 'right'],
  };
}

function processTable(r: BenchResults): Table {
  const floor = r.coldStart['raw-http']?.medianMs;
  const rows = r.targets.map(({ name }) => {
    const cold = r.coldStart[name];
    const mem = r.memory[name];
    return [
      name,
      cold === undefined ? '—' : formatNumber(cold.medianMs),
      cold === undefined || floor === undefined ? '—' : `${(cold.medianMs / floor).toFixed(2)}×`,
      mem === undefined ? '—' : formatNumber(mem.rssMB),
      mem === undefined ? '—' : formatNumber(mem.heapUsedMB),
      mem === undefined ? '—' : formatNumber(mem.rssAfterGcMB),
      mem === undefined ? '—' : formatNumber(mem.heapUsedAfterGcMB),
    ];
  });
  return {
    header: [
      'target',
      'cold start ms',
      'vs raw-http',
      'RSS after load MB',
      'heap MB',
      'RSS after GC MB',
      'heap after GC MB',
    ],
    rows,
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  };
}

function checksTable(checks: readonly Check[]): Table {
  return {
    header: ['target', 'measured', 'limit', 'verdict'],
    rows: checks.map((c) => [
      c.name,
      Number.isNaN(c.value) ? 'missing' : formatNumber(c.value),
      `${c.comparison} ${c.limit}`,
      c.pass ? 'PASS' : 'FAIL',
    ]),
    align: ['left', 'right', 'left', 'left'],
  };
}

function simulatorLine(r: BenchResults): string {
  const s = r.simulator;
  if ('skipped' in s) return `Simulator: skipped — ${s.skipped}.`;
  return `Simulator: ${formatNumber(s.sessionsPerSecond)} sessions/s (${s.description}, concurrency ${s.concurrency}, median of ${s.rounds.length} windows).`;
}

function checksLine(r: BenchResults): string | undefined {
  if (r.absent.includes('ours')) {
    return 'Targets: not evaluated — bench/targets/ours.ts (the product server) does not exist yet; only the baselines ran.';
  }
  return undefined;
}

function settingsLine(r: BenchResults): string {
  const s = r.settings;
  return (
    `${s.connections} connections; start: ${s.rounds} rounds × ${s.duration} s; ` +
    `other scenarios: ${s.secondaryRounds} rounds × ${s.secondaryDuration} s; ` +
    `warm-up ${s.warmup} s; ${s.coldStarts} cold starts per target`
  );
}

function environmentLine(r: BenchResults): string {
  const e = r.environment;
  return (
    `Node ${e.node}, ${e.platform}/${e.arch}, ${e.cpus} CPU (${e.cpuModel}), ${e.memoryMB} MB; ` +
    `load average ${e.loadAverage.start.toFixed(2)} at start, ${e.loadAverage.end.toFixed(2)} at end`
  );
}

/** The report printed at the end of `npm run bench`. */
export function renderText(r: BenchResults): string {
  const text = (t: Table): string => formatTable(t.header, t.rows, t.align);
  const parts = [
    `${environmentLine(r)}\n${settingsLine(r)}; ${r.elapsedSeconds.toFixed(0)} s in all`,
    `Medians over rounds\n${text(mediansTable(r))}`,
    `Ratios (median of per-round ratios, min–max in brackets)\n${text(ratiosTable(r))}`,
    `Start-up and memory\n${text(processTable(r))}`,
    simulatorLine(r),
  ];
  const note = checksLine(r);
  parts.push(note ?? `Targets for ours\n${text(checksTable(r.checks))}`);
  if (r.problems.length > 0) parts.push(`Problems\n${r.problems.map((p) => `- ${p}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}

/** The chart's file name, next to RESULTS.md. */
export const CHART_FILE = 'results-chart.svg';

const COLOURS: Record<TargetName, string> = {
  'raw-http': '#9e9e9e',
  'express-echo': '#5c6bc0',
  'tropo-webapi-peer': '#ef6c00',
  ours: '#2e7d32',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small horizontal bar chart of median req/s, one group per scenario. */
export function renderChart(r: BenchResults): string {
  const labelWidth = 150;
  const barWidth = 380;
  const barHeight = 14;
  const rowGap = 4;
  const groupGap = 26;
  const values = r.scenarios.flatMap(({ name }) =>
    r.targets.map(({ name: t }) => r.medians[name]?.[t]?.reqPerSec ?? 0),
  );
  const max = Math.max(1, ...values);
  const parts: string[] = [];
  let y = 24;
  parts.push(
    `<text x="0" y="14" font-weight="bold">Median requests per second (${r.settings.connections} connections)</text>`,
  );
  for (const { name, title } of r.scenarios) {
    y += groupGap - 8;
    parts.push(`<text x="0" y="${y}" font-style="italic">${escapeXml(`${name}: ${title}`)}</text>`);
    y += 6;
    for (const { name: target } of r.targets) {
      const value = r.medians[name]?.[target]?.reqPerSec;
      if (value === undefined) continue;
      const width = Math.max(1, Math.round((value / max) * barWidth));
      parts.push(
        `<text x="${labelWidth - 6}" y="${y + barHeight - 3}" text-anchor="end">${target}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight}" fill="${COLOURS[target]}"/>`,
        `<text x="${labelWidth + width + 4}" y="${y + barHeight - 3}">${formatNumber(value)}</text>`,
      );
      y += barHeight + rowGap;
    }
  }
  const height = y + 8;
  const width = labelWidth + barWidth + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** bench/RESULTS.md before prettier aligns it. */
export function renderMarkdown(r: BenchResults): string {
  const md = (t: Table): string => markdownTable(t.header, t.rows, t.align);
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${r.date.slice(0, 10)} (${r.defaultSettings ? 'default settings' : 'NON-default settings: not comparable with committed runs'}). ` +
      'Regenerate with `npm ci && npm run bench`; the raw rounds are in [`results.json`](results.json).',
    '',
    `- Machine: ${environmentLine(r)}.`,
    `- Load: autocannon on loopback, ${settingsLine(r)}.`,
    `- Run time: ${r.elapsedSeconds.toFixed(0)} s.`,
    '',
    '## How to read this',
    '',
    'The machines are shared and noisy, so no absolute number here is a target. Every target runs in its',
    'own child process, and the rounds are interleaved (each scenario, then each target in turn, round after',
    'round, the order of the targets turning by one each round), so a ratio compares runs made seconds',
    'apart. A ratio is the median of the per-round ratios; the brackets give the lowest and highest round.',
    '',
    'The load generator (autocannon) runs in the harness process on the same CPUs as the server under test.',
    'On a 2-core machine the two compete, which caps the fastest targets most (raw-http above all) and',
    'squeezes the ratios towards 1; the ratios stay comparable between runs on the same machine, the',
    'absolute numbers do not.',
    '',
    'Other work on the machine (builds, tests) adds noise that no interleaving removes; the load average',
    'at the start and end of the run is recorded above. The bracketed per-round range is the gauge: in',
    'trial runs here, a copy of express-echo measured against express-echo itself landed anywhere from',
    '0.8× to 1.4× in a single round, so a median whose range straddles a limit is not yet a verdict.',
    '',
    '| target | what it is |',
    '| --- | --- |',
    ...r.targets.map((t) => `| ${t.name} | ${t.description} |`),
    '',
    'Scenarios (real payloads from the shared test vectors, see `bench/fixtures/`):',
    '',
    ...r.scenarios.map(
      (s) =>
        `- **${s.name}**: ${s.title}; expects ${s.expectStatus}${s.pipeline ? '; full pipeline, so the throughput and p99 targets apply' : ''}.`,
    ),
    '',
    '## Targets',
    '',
    `For \`ours\`: req/s ≥ ${LIMITS.minThroughputVsExpress}× express-echo and ≥ ${LIMITS.minThroughputVsPeer}× tropo-webapi-peer, p99 ≤ ${LIMITS.maxP99VsExpress}× express-echo (${r.settings.connections} connections) on the full-pipeline scenarios; cold start ≤ ${LIMITS.maxColdStartVsExpress}× express-echo's; RSS after load ≤ ${LIMITS.maxRssVsExpress}× express-echo's (the issue's targets, #17).`,
    '',
    checksLine(r) ?? md(checksTable(r.checks)),
    '',
    "The issue's hostile-body ratio (issue #16: a 100 KB hostile body at most 5× a normal session's",
    'server CPU) is not part of this run: `npm run bench:hardening hostile` measures it on the real',
    'server process (about 3 minutes); its last figures are in the README.',
    '',
    '## Ratios',
    '',
    md(ratiosTable(r)),
    '',
    '## Medians',
    '',
    `![Median requests per second](${CHART_FILE})`,
    '',
    md(mediansTable(r)),
    '',
    '## Start-up and memory',
    '',
    'Cold start: from spawning the process (`node --require tsx/cjs`, how every target is started, so',
    'the TypeScript loader is in every number and the raw-http column is its floor; `ours` loads',
    `${r.settings.product === 'build' ? 'the compiled build that ships' : 'the TypeScript sources'}) to the first 200`,
    `answer to the start scenario, median of ${r.settings.coldStarts}. RSS: \`process.memoryUsage().rss\``,
    'of each target right after its last load run (the target applies to this one), then again after a',
    'forced full garbage collection (what the process keeps rather than what it grew to under load).',
    'Under load V8 grows its young generation and keeps the pages, so RSS barely drops after the',
    'collection even when the heap does; raw-http shows the floor any Node server reaches here.',
    '',
    md(processTable(r)),
    '',
    simulatorLine(r),
    '',
    '## Notes on the peer',
    '',
    'The `tropo-webapi` library (15.13.0) builds documents with positional-argument methods and',
    '`TropoJSON()`. Its `Result` parser throws `actions is not defined` on every call, and its `Session`',
    'parser wants the raw JSON text, so the peer reads the body parsed by `express.json()`, as the',
    "library's Express samples do.",
  ];
  if (r.problems.length > 0) {
    lines.push('', '## Problems during the run', '', ...r.problems.map((p) => `- ${p}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes results.json, RESULTS.md (formatted with the project's prettier settings) and the chart. */
export async function writeReports(r: BenchResults, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const mdPath = join(outDir, 'RESULTS.md');
  const options = (await resolveConfig(mdPath)) ?? {};
  const markdown = await prettierFormat(renderMarkdown(r), { ...options, parser: 'markdown' });
  const files: [string, string][] = [
    [join(outDir, 'results.json'), `${JSON.stringify(r, null, 2)}\n`],
    [mdPath, markdown],
    [join(outDir, CHART_FILE), renderChart(r)],
  ];
  for (const [path, content] of files) await writeFile(path, content);
  return files.map(([path]) => path);
}
