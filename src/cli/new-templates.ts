/**
 * The starting points `tropo-app new` writes: for each template, the app's source and the scenario
 * that plays it (kept side by side so the scenario always matches what the app does).
 */

/** How a scenario's session starts, in the scenario file's own keys. */
export type ScenarioStart =
  { call: { from: string; to: string } } | { text: string } | { launch: Record<string, string> };

/** What the scenario file says: how the session starts, what the people do and what must happen. */
export interface ScenarioPlan {
  name: string;
  start: ScenarioStart;
  inputs: string[];
  expect: { says: string[]; handlers: string[]; ends: string };
}

/** A template: its one-line summary, the app source and the scenario for an app named `name`. */
export interface Template {
  summary: string;
  /** The app's `index.ts`; `sdk` is the import path of `src/sdk` from the app's folder. */
  app: (name: string, sdk: string) => string;
  scenario: (name: string) => ScenarioPlan;
  /** More scenarios, so that together they reach every handler the app declares. */
  more?: (name: string) => ScenarioPlan[];
}

export const TEMPLATE_NAMES = ['voice-menu', 'reminder', 'sms'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const voiceMenu: Template = {
  summary: 'an inbound call: a menu answered by key or by voice',
  app: (
    name,
    sdk,
  ) => `/** ${name}: an inbound call answered with a menu (press or say sales or support). */
import { ask, defineApp, findAction, hangup, on, say } from '${sdk}';

const ANSWERS: Record<string, string> = {
  sales: 'Our sales team is available weekdays from 9 to 5.',
  support: 'Our help pages are open day and night.',
};

export default defineApp({
  name: '${name}',
  description: 'Inbound call: press or say sales or support.',
  channels: ['voice'],

  start: (ctx) => [
    say('Welcome.'),
    ask({
      name: 'department',
      attempts: 3,
      timeout: 7,
      choices: { value: 'sales(1, sales), support(2, support)' },
      say: [
        { value: 'For sales, press 1 or say sales. For support, press 2 or say support.' },
        { value: 'Sorry, I did not understand.', event: 'nomatch' },
        { value: 'Sorry, I did not hear you.', event: 'timeout' },
      ],
    }),
    on({ event: 'continue', next: ctx.next('choice') }),
    on({ event: 'incomplete', next: ctx.next('incomplete') }),
  ],

  on: {
    choice(ctx) {
      const picked = findAction(ctx.result, 'department')?.value ?? '';
      const answer = Object.hasOwn(ANSWERS, picked) ? ANSWERS[picked] : 'That is not on the menu.';
      return [say(\`You chose \${picked}. \${answer} Goodbye.\`), hangup()];
    },
    incomplete: () => [say('We did not get a choice. Goodbye.'), hangup()],
  },
});
`,
  scenario: (name) => ({
    name: `${name}: a caller presses 1 for sales`,
    start: { call: { from: '+14155550100', to: '+14155550199' } },
    inputs: ['1'],
    expect: {
      says: ['Welcome.', 'For sales, press 1', 'You chose sales.'],
      handlers: ['choice'],
      ends: 'hangup',
    },
  }),
  more: (name) => [
    {
      name: `${name}: the caller says nothing`,
      start: { call: { from: '+14155550100', to: '+14155550199' } },
      inputs: ['timeout', 'timeout', 'timeout'],
      expect: { says: ['We did not get a choice.'], handlers: ['incomplete'], ends: 'hangup' },
    },
  ],
};

const reminder: Template = {
  summary: 'a Session API launch: call numberToDial, say msg, ask to confirm',
  app: (
    name,
    sdk,
  ) => `/** ${name}: launched through the Session API, calls numberToDial, says msg and asks to confirm. */
import {
  ask,
  call,
  defineApp,
  findAction,
  hangup,
  MAX_SPOKEN_TEXT,
  on,
  phoneNumber,
  plainText,
  say,
  telUri,
  z,
} from '${sdk}';

export default defineApp({
  name: '${name}',
  description: 'Calls numberToDial, says msg and asks to confirm (Session API parameters).',
  channels: ['voice'],
  // Session API parameters, checked before the app runs.
  params: z.object({ numberToDial: phoneNumber, msg: plainText(MAX_SPOKEN_TEXT) }),

  start(ctx) {
    if (!ctx.params) return [say('This app is started through the Session API.'), hangup()];
    return [
      call({ to: telUri(ctx.params.numberToDial) }),
      say(ctx.params.msg),
      ask({
        name: 'answer',
        attempts: 2,
        timeout: 7,
        choices: { value: 'confirm(1, confirm), cancel(2, cancel)', mode: 'dtmf' },
        say: 'Press 1 to confirm, 2 to cancel.',
      }),
      on({ event: 'continue', next: ctx.next('answered') }),
      on({ event: 'incomplete', next: ctx.next('unanswered') }),
    ];
  },

  on: {
    answered(ctx) {
      const confirmed = findAction(ctx.result, 'answer')?.value === 'confirm';
      return [say(confirmed ? 'Confirmed. Goodbye.' : 'Cancelled. Goodbye.'), hangup()];
    },
    unanswered: () => [say('No answer received. Goodbye.'), hangup()],
  },
});
`,
  scenario: (name) => ({
    name: `${name}: the callee confirms`,
    start: { launch: { numberToDial: '+14075551212', msg: 'Your appointment is tomorrow at 10.' } },
    inputs: ['1'],
    expect: {
      says: ['Your appointment is tomorrow at 10.', 'Press 1 to confirm', 'Confirmed. Goodbye.'],
      handlers: ['answered'],
      ends: 'hangup',
    },
  }),
  more: (name) => [
    {
      name: `${name}: the callee says nothing`,
      start: {
        launch: { numberToDial: '+14075551212', msg: 'Your appointment is tomorrow at 10.' },
      },
      inputs: ['timeout', 'timeout'],
      expect: { says: ['No answer received.'], handlers: ['unanswered'], ends: 'hangup' },
    },
  ],
};

const sms: Template = {
  summary: 'an inbound text: reply to the sender',
  app: (name, sdk) => `/** ${name}: answers an inbound text with a reply to the sender. */
import { defineApp, hangup, say } from '${sdk}';

export default defineApp({
  name: '${name}',
  description: 'Inbound text: replies to the sender.',
  channels: ['text'],

  start(ctx) {
    const text = ctx.session.initialText?.trim() ?? '';
    ctx.log.info({ length: text.length }, 'text received');
    // On a text channel, say is the reply to the sender.
    return [say(text ? \`Thanks, we got: \${text}\` : 'Thanks for your text.'), hangup()];
  },
});
`,
  scenario: (name) => ({
    name: `${name}: a text gets a reply`,
    start: { text: 'Running 10 minutes late' },
    inputs: [],
    expect: { says: ['Thanks, we got: Running 10 minutes late'], handlers: [], ends: 'hangup' },
  }),
};

/** Every template by name. */
export const TEMPLATES: Record<TemplateName, Template> = {
  'voice-menu': voiceMenu,
  reminder,
  sms,
};

/** A single-quoted YAML string (the project's prettier style): only `'` needs escaping, by doubling. */
export function yamlQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** One scenario's keys, as YAML lines (no indent). */
function scenarioLines(app: string, plan: ScenarioPlan): string[] {
  const lines = [`name: ${yamlQuote(plan.name)}`, `app: ${app}`];
  const start = plan.start;
  if ('call' in start) {
    lines.push(`call: { from: ${yamlQuote(start.call.from)}, to: ${yamlQuote(start.call.to)} }`);
  } else if ('text' in start) {
    lines.push(`text: ${yamlQuote(start.text)}`);
  } else {
    const pairs = Object.entries(start.launch).map(([k, v]) => `${k}: ${yamlQuote(v)}`);
    lines.push(`launch: { ${pairs.join(', ')} }`);
  }
  if (plan.inputs.length > 0) lines.push(`inputs: [${plan.inputs.map(yamlQuote).join(', ')}]`);
  lines.push('expect:');
  lines.push('  says:');
  for (const said of plan.expect.says) lines.push(`    - ${yamlQuote(said)}`);
  lines.push(`  handlers: [${plan.expect.handlers.join(', ')}]`);
  lines.push(`  ends: ${plan.expect.ends}`);
  return lines;
}

/**
 * The scenario file's text (`scenarios/NAME.scenario.yaml`), in the format `tropo-app test` reads:
 * one scenario as a mapping, several under `scenarios:`.
 */
export function renderScenario(app: string, plan: ScenarioPlan, more: ScenarioPlan[] = []): string {
  const header = `# Plays ${app} the way its template was written; edit it as the app grows (tropo-app test).`;
  if (more.length === 0) return `${[header, ...scenarioLines(app, plan)].join('\n')}\n`;
  const items = [plan, ...more].flatMap((p, i) => [
    ...(i > 0 ? [''] : []),
    ...scenarioLines(app, p).map((line, j) => `${j === 0 ? '  - ' : '    '}${line}`),
  ]);
  return `${[header, 'scenarios:', ...items].join('\n')}\n`;
}
