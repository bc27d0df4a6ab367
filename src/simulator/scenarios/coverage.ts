/** What the scenario runs reached of each app: handlers declared vs reached, the events that led to each, the verbs answered. */
import type { Transcript } from '../transcript';
import { pathOf } from './observe';
import type { ScenarioResult } from './run';

/** The handlers an app declares: `start` and its `on` handlers (a static document: just `start`). */
export type DeclaredHandlers = ReadonlyMap<string, readonly string[]>;

/** One step the runs observed: from a document (answered by `from`) on `event` to handler `to`. */
export interface ObservedEdge {
  from: string;
  event: string;
  to: string;
}

/** Coverage of one app. */
export interface AppCoverage {
  app: string;
  declared: readonly string[];
  /** Handler → the events that led to it (`session` for start). */
  reached: Map<string, Set<string>>;
  /** Handler → the verbs its documents held. */
  verbs: Map<string, Set<string>>;
  edges: ObservedEdge[];
  unreached: string[];
  scenarios: number;
}

const FIRES = /^Tropo fires "([^"]+)"$/;
const SIGNAL = /^Signal "([^"]+)" arrives and interrupts$/;
const ANSWERS = /^The app answers \d+: (.*)$/;

/** The handler an app URL names: `/apps/NAME/on/HANDLER` → HANDLER, `/apps/NAME/start` → start. */
export function handlerOf(app: string, url: string): string | undefined {
  const path = pathOf(url);
  const base = `/apps/${encodeURIComponent(app)}`;
  if (path === `${base}/start` || path === `${base}.json`) return 'start';
  if (path.startsWith(`${base}/on/`)) return decodeURIComponent(path.slice(base.length + 4));
  return undefined;
}

/** The steps of one transcript: which handler each POST reached, after which event, from where. */
export function edgesOf(
  app: string,
  t: Transcript,
): { edges: ObservedEdge[]; verbs: Map<string, Set<string>> } {
  const edges: ObservedEdge[] = [];
  const verbs = new Map<string, Set<string>>();
  let current = '(session)';
  let event = 'session';
  for (const line of t.lines) {
    const fired = FIRES.exec(line.text) ?? SIGNAL.exec(line.text);
    if (fired && line.actor === 'tropo') {
      event = SIGNAL.test(line.text) ? `signal ${fired[1] ?? ''}` : (fired[1] ?? '');
      continue;
    }
    const exchange = line.exchange === undefined ? undefined : t.exchanges[line.exchange];
    if (!exchange) continue;
    const handler = handlerOf(app, exchange.url);
    if (handler === undefined) continue;
    if (
      line.actor === 'tropo' &&
      exchange.purpose !== 'connect-post' &&
      /^Tropo POSTs/.test(line.text)
    ) {
      // A result POST with no "fires" line since the last document: the document ran to its end.
      edges.push({
        from: current,
        event: exchange.purpose === 'session' ? 'session' : event || 'continue',
        to: handler,
      });
      current = handler;
      event = 'continue';
    }
    const answered = ANSWERS.exec(line.text);
    if (answered && line.actor === 'app') {
      const set = verbs.get(handler) ?? new Set<string>();
      for (const part of (answered[1] ?? '').split(', '))
        if (!part.startsWith('on ') && part !== 'an empty document') set.add(part);
      verbs.set(handler, set);
    }
  }
  return { edges, verbs };
}

/** Coverage per app of the apps the results ran against (by `app:`), declared handlers from `declared`. */
export function coverageOf(
  results: readonly ScenarioResult[],
  declared: DeclaredHandlers,
): AppCoverage[] {
  const byApp = new Map<string, AppCoverage>();
  for (const r of results) {
    const app = r.loaded.scenario.app;
    if (app === undefined || !r.transcript || !declared.has(app)) continue;
    const fresh = (): AppCoverage => ({
      app,
      declared: declared.get(app) ?? [],
      reached: new Map(),
      verbs: new Map(),
      edges: [],
      unreached: [],
      scenarios: 0,
    });
    const entry = byApp.get(app) ?? fresh();
    byApp.set(app, entry);
    entry.scenarios += 1;
    const { edges, verbs } = edgesOf(app, r.transcript);
    for (const edge of edges) {
      const set = entry.reached.get(edge.to) ?? new Set<string>();
      set.add(edge.event);
      entry.reached.set(edge.to, set);
      if (
        !entry.edges.some((e) => e.from === edge.from && e.event === edge.event && e.to === edge.to)
      )
        entry.edges.push(edge);
    }
    for (const [handler, names] of verbs) {
      const set = entry.verbs.get(handler) ?? new Set<string>();
      for (const n of names) set.add(n);
      entry.verbs.set(handler, set);
    }
  }
  for (const entry of byApp.values())
    entry.unreached = entry.declared.filter((h) => !entry.reached.has(h));
  return [...byApp.values()].sort((a, b) => a.app.localeCompare(b.app));
}

/** The coverage table `tropo-app test --coverage` prints. */
export function formatCoverage(list: readonly AppCoverage[]): string {
  const out: string[] = ['Coverage (handlers reached by the scenarios that ran):'];
  for (const c of list) {
    const reached = c.declared.filter((h) => c.reached.has(h)).length;
    out.push(
      `  ${c.app}: ${reached}/${c.declared.length} handlers reached (${c.scenarios} scenario${c.scenarios === 1 ? '' : 's'})`,
    );
    for (const h of c.declared) {
      const events = c.reached.get(h);
      const verbs = [...(c.verbs.get(h) ?? [])].join(', ') || '-';
      out.push(
        events
          ? `    ${h.padEnd(14)} after ${[...events].join(', ')}; answered ${verbs}`
          : `    ${h.padEnd(14)} NOT REACHED`,
      );
    }
    if (c.unreached.length > 0) out.push(`    unreached: ${c.unreached.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
