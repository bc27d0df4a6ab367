/** Plays one scenario through the simulator and checks its `expect`: the first unmet expectation, with expected vs actual and where in the transcript. */
import type { SimulatedLaunch } from '../campaign-launch';
import { simulate } from '../engine';
import type { AppLogLine } from '../session/options';
import { DEFAULT_SCRIPT, parseInput, type CallerScript } from '../script';
import type { SessionSpec } from '../session-factory';
import type { Transcript } from '../transcript';
import { verdictOf, warningCount } from '../verdict';
import { callsOf, endingOf, handlerMatches, handlersOf, messagesOf, saidOf } from './observe';
import type { LoadedScenario, Scenario } from './schema';

/** What running scenarios needs from outside. */
export interface ScenarioDeps {
  /** The start URL of an app by name (the in-process server's), or undefined when there is none. */
  appUrl: (name: string) => string | undefined;
  /** The in-process server's new log lines, for the transcript. */
  appLogs?: (() => readonly AppLogLine[]) | undefined;
  /** A launch reference the in-process server verifies, for `campaign: true` (see campaign-launch.ts). */
  campaignLaunch?: (() => SimulatedLaunch) | undefined;
  timeoutMs?: number | undefined;
}

/** The first expectation a session did not meet. */
export interface Unmet {
  /** The key, e.g. `expect.says[2]`. */
  key: string;
  expected: string;
  actual: string;
  /** The transcript line to show the surroundings of. */
  line: number;
}

/** One scenario's result. */
export interface ScenarioResult {
  loaded: LoadedScenario;
  /** Null when the session could not be started at all (see `unmet`). */
  transcript: Transcript | null;
  unmet: Unmet | null;
  durationMs: number;
}

const DEFAULT_FROM = '+14155550100';
const DEFAULT_TO = '+14155550199';
const SCENARIO_TOKEN = 'scenario-session-api-token';

function specOf(s: Scenario, campaign: SimulatedLaunch | undefined): SessionSpec {
  if (s.launch !== undefined) {
    const parameters = { ...s.launch, ...campaign?.parameters };
    return { kind: 'token', token: SCENARIO_TOKEN, parameters };
  }
  const from = s.call?.from ?? DEFAULT_FROM;
  const to = s.call?.to ?? DEFAULT_TO;
  if (s.text !== undefined) return { kind: 'text', from, to, text: s.text };
  return { kind: 'voice', from, to };
}

function scriptOf(s: Scenario): CallerScript {
  return {
    ...DEFAULT_SCRIPT,
    inputs: (s.inputs ?? []).map((raw, i) => parseInput(String(raw), `inputs[${i}]`)),
    callOutcome: s.callOutcome ?? DEFAULT_SCRIPT.callOutcome,
    transferOutcome: s.transferOutcome ?? DEFAULT_SCRIPT.transferOutcome,
    recordOutcome: s.recordOutcome ?? DEFAULT_SCRIPT.recordOutcome,
    userType: s.userType ?? DEFAULT_SCRIPT.userType,
  };
}

const quote = (items: readonly string[]): string =>
  items.length === 0 ? '(none)' : items.map((i) => JSON.stringify(i)).join(', ');

/** The first unmet expectation of a finished session, or null when all are met. */
export function checkExpectations(s: Scenario, t: Transcript): Unmet | null {
  const e = s.expect;
  const last = Math.max(0, t.lines.length - 1);
  const ending = endingOf(t);
  const verdict = verdictOf(t);
  const failureExpected = e.ends === 'app-failed' || e.ends === 'limit-reached';
  if (!verdict.ok && !failureExpected) {
    // The first error line (a server log, a failed exchange) is where the failure shows.
    const first = t.lines.findIndex((l) => l.level === 'error');
    return {
      key: 'session',
      expected: 'a session that does not fail',
      actual: `FAILED: ${verdict.reason}`,
      line: first >= 0 ? first : last,
    };
  }
  if (e.ends !== undefined && e.ends !== ending) {
    return {
      key: 'expect.ends',
      expected: e.ends,
      actual: `${ending} (${t.outcome?.reason ?? ''})`,
      line: last,
    };
  }
  if (e.says) {
    // Ordered substrings of everything said, searched from where the last one matched.
    const said = saidOf(t);
    let at = 0;
    let offset = 0;
    for (const [i, want] of e.says.entries()) {
      let found = false;
      for (let j = at; j < said.length && !found; j++) {
        const pos = (said[j]?.value ?? '').indexOf(want, j === at ? offset : 0);
        if (pos >= 0) {
          at = j;
          offset = pos + want.length;
          found = true;
        }
      }
      if (!found) {
        // What was said after the previous expected phrase, and the transcript where it ends.
        const rest = said.slice(i === 0 ? 0 : at + 1).map((x) => x.value);
        const where = i === 0 ? 'said' : `said after ${JSON.stringify(e.says[i - 1])}`;
        return {
          key: `expect.says[${i}]`,
          expected: JSON.stringify(want),
          actual: `${where}: ${quote(rest)}`,
          line: said[said.length - 1]?.line ?? last,
        };
      }
    }
  }
  if (e.messages) {
    const sent = messagesOf(t);
    for (const [i, want] of e.messages.entries()) {
      const got = sent[i];
      const to = want.to.replace(/^tel:/i, '');
      if (
        !got ||
        got.value.to !== to ||
        (want.text !== undefined && !got.value.text.includes(want.text))
      ) {
        return {
          key: `expect.messages[${i}]`,
          expected: `to ${to}${want.text === undefined ? '' : ` containing ${JSON.stringify(want.text)}`}`,
          actual: got
            ? `to ${got.value.to}: ${JSON.stringify(got.value.text)}`
            : `only ${sent.length} message(s)`,
          line: got?.line ?? last,
        };
      }
    }
  }
  if (e.calls) {
    const dialled = callsOf(t).map((c) => c.value);
    const want = e.calls.map((c) => c.replace(/^tel:/i, ''));
    if (dialled.join('\n') !== want.join('\n')) {
      return {
        key: 'expect.calls',
        expected: quote(want),
        actual: quote(dialled),
        line: callsOf(t)[0]?.line ?? last,
      };
    }
  }
  if (e.handlers) {
    const posted = handlersOf(t);
    const len = Math.max(posted.length, e.handlers.length);
    for (let i = 0; i < len; i++) {
      const want = e.handlers[i];
      const got = posted[i];
      if (want === undefined || got === undefined || !handlerMatches(want, got.value)) {
        return {
          key: `expect.handlers[${i}]`,
          expected: quote(e.handlers),
          actual: quote(posted.map((p) => p.value)),
          line: got?.line ?? last,
        };
      }
    }
  }
  if (e.documents !== undefined && e.documents !== t.documents) {
    return {
      key: 'expect.documents',
      expected: String(e.documents),
      actual: String(t.documents),
      line: last,
    };
  }
  if (e.outcome !== undefined) {
    const want = typeof e.outcome === 'string' ? [e.outcome] : e.outcome;
    const reported = t.reported ?? [];
    const got = reported.map((r) => r.outcome);
    if (got.join('\n') !== want.join('\n')) {
      const differs = reported.find((r, i) => r.outcome !== want[i]) ?? reported[want.length];
      return {
        key: 'expect.outcome',
        expected: want.length === 0 ? 'no outcome reported' : quote(want),
        actual:
          t.reported === undefined
            ? 'nothing observed: the session was not launched as a campaign'
            : got.length === 0
              ? 'nothing reported: the app never called ctx.outcome'
              : quote(got),
        line: differs?.line ?? last,
      };
    }
  }
  const warnings = warningCount(t);
  if ((e.warnings ?? 0) !== warnings) {
    const first = t.lines.findIndex((l) => l.level === 'warning');
    return {
      key: 'expect.warnings',
      expected: String(e.warnings ?? 0),
      actual: String(warnings),
      line: first >= 0 ? first : last,
    };
  }
  return null;
}

/** Plays one scenario and checks it; never rejects for a failing app (only for a simulator bug). */
export async function runScenario(
  loaded: LoadedScenario,
  deps: ScenarioDeps,
): Promise<ScenarioResult> {
  const s = loaded.scenario;
  const started = performance.now();
  const startUrl = s.url ?? (s.app === undefined ? undefined : deps.appUrl(s.app));
  const elapsed = (): number => Math.round(performance.now() - started);
  if (startUrl === undefined) {
    const unmet = {
      key: 'app',
      expected: 'a registered app',
      actual: `no app named "${s.app ?? ''}"`,
      line: 0,
    };
    return { loaded, transcript: null, unmet, durationMs: elapsed() };
  }
  const campaign = s.campaign === true ? deps.campaignLaunch?.() : undefined;
  if (s.campaign === true && !campaign) {
    const unmet = {
      key: 'campaign',
      expected: 'an in-process server to launch the campaign',
      actual: 'none: only app: scenarios run in process',
      line: 0,
    };
    return { loaded, transcript: null, unmet, durationMs: elapsed() };
  }
  deps.appLogs?.(); // Lines left from before this scenario are not its own.
  const transcript = await simulate({
    startUrl,
    session: specOf(s, campaign),
    script: scriptOf(s),
    signals: (s.signals ?? []).map((raw) => {
      const [name = '', at = '0'] = raw.split('@');
      return { name, atSeconds: Number(at) };
    }),
    timeoutMs: deps.timeoutMs,
    appLogs: s.app === undefined ? undefined : deps.appLogs,
    appOutcomes: campaign?.take,
    secrets: [SCENARIO_TOKEN, ...(campaign ? [campaign.secret] : [])],
  });
  return { loaded, transcript, unmet: checkExpectations(s, transcript), durationMs: elapsed() };
}
