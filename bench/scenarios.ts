/** The benchmark scenarios: what each one means, the real Tropo bodies it sends, and the default requests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The scenarios every target is measured on, in the order they run. */
export const SCENARIO_NAMES = ['start', 'continue', 'static', 'rejected'] as const;

/** One of the benchmark scenarios. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a scenario stands for; shared by every target so their numbers compare. */
export interface ScenarioInfo {
  name: ScenarioName;
  title: string;
  /** Primary scenarios get the full number of rounds; secondary ones fewer, to keep the run short. */
  primary: boolean;
  /** Full pipeline (parse, app, verbs, validate, serialise): the throughput and p99 targets apply. */
  pipeline: boolean;
  expectStatus: number;
}

/** Descriptions of the scenarios, keyed by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioInfo>> = {
  start: {
    name: 'start',
    title: 'reminder start (token-launched session)',
    primary: true,
    pipeline: true,
    expectStatus: 200,
  },
  continue: {
    name: 'continue',
    title: 'continuation with an ask result',
    primary: false,
    pipeline: true,
    expectStatus: 200,
  },
  static: {
    name: 'static',
    title: 'static JSON app (inbound SIP call)',
    primary: false,
    pipeline: false,
    expectStatus: 200,
  },
  rejected: {
    name: 'rejected',
    title: 'rejected body (truncated JSON)',
    primary: false,
    pipeline: false,
    expectStatus: 400,
  },
};

/** A request a target answers for one scenario: plain data, so a child process can send it over IPC. */
export interface ScenarioRequest {
  scenario: ScenarioName;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  expectStatus: number;
}

const fixturesDir = join(__dirname, 'fixtures');

/** Reads a fixture and sends it compact, as Tropo does (the files are pretty-printed for reading). */
function compactFixture(file: string): string {
  return JSON.stringify(JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')));
}

/**
 * The bodies, all real payloads from the shared test vectors:
 * - reminderSession: the 2010 token-launched session (vectors.json #46) with the Session API
 *   parameters of the appointment reminder (numberToDial, msg, customerName, as in the §8.1 example);
 * - inboundVoiceSession: the 2017 inbound SIP call with full headers (#41), what Tropo POSTs to a
 *   static app's URL;
 * - askResult: the single-ask result from the docs trace (#52);
 * - truncated: the reminder session cut mid-way, as a dropped connection or a broken proxy would.
 */
export const BODIES = (() => {
  const reminderSession = compactFixture('session-reminder.json');
  return {
    reminderSession,
    inboundVoiceSession: compactFixture('session-inbound-voice.json'),
    askResult: compactFixture('result-ask.json'),
    truncated: reminderSession.slice(0, Math.floor(reminderSession.length / 2)),
  };
})();

/** The paths the baselines use, which follow the product's HTTP contract. */
export const DEFAULT_PATHS: Readonly<Record<ScenarioName, string>> = {
  start: '/apps/appointment-reminder/start',
  continue: '/apps/appointment-reminder/on/confirm',
  static: '/apps/hello.json',
  rejected: '/apps/appointment-reminder/start',
};

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The standard request of every scenario; a target may move a scenario to its own path. */
export function standardScenarios(
  paths: Partial<Record<ScenarioName, string>> = {},
): ScenarioRequest[] {
  const bodies: Record<ScenarioName, string> = {
    start: BODIES.reminderSession,
    continue: BODIES.askResult,
    static: BODIES.inboundVoiceSession,
    rejected: BODIES.truncated,
  };
  return SCENARIO_NAMES.map((scenario) => ({
    scenario,
    method: 'POST',
    path: paths[scenario] ?? DEFAULT_PATHS[scenario],
    headers: { ...JSON_HEADERS },
    body: bodies[scenario],
    expectStatus: SCENARIOS[scenario].expectStatus,
  }));
}
