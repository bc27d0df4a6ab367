/** How scenario results are shown: the PASS/FAIL lines with the transcript around a failure, JUnit XML, and normalised transcript snapshots. */
import { clockOf, renderTranscript } from '../render';
import type { Transcript } from '../transcript';
import type { ScenarioResult } from './run';

/** Lines of transcript shown before and after the line a failure points at. */
const CONTEXT_BEFORE = 4;
const CONTEXT_AFTER = 3;

/** Where a scenario is: `scenarios/ivr-menu.scenario.yaml:12`. */
export function whereOf(result: ScenarioResult): string {
  return `${result.loaded.file}:${result.loaded.line}`;
}

/** The failure's details: the unmet expectation, expected vs actual, the transcript around it. */
export function failureDetails(result: ScenarioResult): string[] {
  const unmet = result.unmet;
  if (!unmet) return [];
  const out = [
    `  ${unmet.key}`,
    `    expected: ${unmet.expected}`,
    `    actual:   ${unmet.actual}`,
  ];
  const t = result.transcript;
  if (t && t.lines.length > 0) {
    const from = Math.max(0, unmet.line - CONTEXT_BEFORE);
    const to = Math.min(t.lines.length, unmet.line + CONTEXT_AFTER + 1);
    out.push('  transcript:');
    if (from > 0) out.push('    …');
    for (let i = from; i < to; i++) {
      const line = t.lines[i];
      if (line) out.push(`  ${i === unmet.line ? '>' : ' '} ${clockOf(line.at)} ${line.text}`);
    }
    if (to < t.lines.length) out.push('    …');
  }
  return out;
}

/** The line printed for one scenario, and its failure details. */
export function resultLines(result: ScenarioResult): string[] {
  const name = result.loaded.scenario.name;
  if (!result.unmet) return [`PASS ${name} (${whereOf(result)})`];
  return [`FAIL ${name} (${whereOf(result)})`, ...failureDetails(result)];
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 has no way to write most control characters (ANSI colours, NUL).
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** A JUnit XML report: one testcase per scenario, classname its file. */
export function junitXml(
  results: readonly ScenarioResult[],
  bad: readonly { file: string; message: string }[] = [],
): string {
  const failures = results.filter((r) => r.unmet).length + bad.length;
  const tests = results.length + bad.length;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const total = results.reduce((n, r) => n + r.durationMs, 0);
  const cases = results.map((r) => {
    const head = `    <testcase classname="${xml(r.loaded.file)}" name="${xml(r.loaded.scenario.name)}" time="${seconds(r.durationMs)}"`;
    if (!r.unmet) return `${head}/>`;
    const message = `${r.unmet.key}: expected ${r.unmet.expected}, got ${r.unmet.actual}`;
    return `${head}>\n      <failure message="${xml(message)}">${xml(failureDetails(r).join('\n'))}</failure>\n    </testcase>`;
  });
  // A file that could not be read is a failed case of its own, so CI shows it.
  for (const b of bad) {
    cases.push(
      `    <testcase classname="${xml(b.file)}" name="(scenario file)" time="0.000">\n      <failure message="${xml(b.message)}"/>\n    </testcase>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${tests}" failures="${failures}" time="${seconds(total)}">`,
    `  <testsuite name="tropo-app test" tests="${tests}" failures="${failures}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * A transcript with what changes from run to run stripped: session and call ids, error ids, ports,
 * simulated times (they include the real time each HTTP exchange took), durations.
 */
export function normalisedTranscript(t: Transcript): string {
  return renderTranscript(t)
    .split('\n')
    .map((line) =>
      line
        .replace(/^\[\d+:\d\d\.\d\] /, '')
        .replace(/\b[0-9a-f]{32}\b/g, '<id>')
        .replace(/error id [0-9a-f]{12}/g, 'error id <id>')
        .replace(/(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
        .replace(/\b\d+(\.\d+)? s\b/g, '<n> s'),
    )
    .join('\n');
}

/** The snapshot file of a scenario file: beside it, `.snap` added. */
export function snapshotPath(file: string): string {
  return `${file}.snap`;
}

const HEADER = /^=== (.*) ===$/;

/** Reads a snapshot file into scenario name → normalised transcript. */
export function parseSnapshots(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  const flush = (): void => {
    if (name !== undefined) out.set(name, body.join('\n').replace(/\n+$/, '\n'));
  };
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      flush();
      name = header[1] ?? '';
      body = [];
    } else if (name !== undefined) {
      body.push(line);
    }
  }
  flush();
  return out;
}

/** Writes scenario name → normalised transcript as a snapshot file's text. */
export function formatSnapshots(entries: ReadonlyMap<string, string>): string {
  const parts = [...entries].map(
    ([name, body]) => `=== ${name} ===\n${body.replace(/\n+$/, '')}\n`,
  );
  return `# Normalised transcripts written by tropo-app test --update; a difference fails the scenario.\n${parts.join('\n')}`;
}

/** The first differing line of two snapshots, as expected vs actual. */
export function firstDifference(
  expected: string,
  actual: string,
): { line: number; expected: string; actual: string } | null {
  const a = expected.replace(/\n+$/, '').split('\n');
  const b = actual.replace(/\n+$/, '').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i, expected: a[i] ?? '(end)', actual: b[i] ?? '(end)' };
  }
  return null;
}
