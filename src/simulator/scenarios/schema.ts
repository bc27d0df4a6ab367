/** The scenario file format (`*.scenario.yaml`, JSON too): its zod schema, and a loader whose errors name the file, line and key. */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { OUTCOMES } from '../../campaigns/model';

const text = z.string().min(1);
const legOutcome = z.enum(['answer', 'busy', 'no-answer']);

/** How a session ends, as `expect.ends` names it. */
export const ENDINGS = [
  'hangup',
  'caller-hangup',
  'rejected',
  'redirected',
  'ended',
  'app-failed',
  'limit-reached',
] as const;

/** What `ctx.outcome` may report. */
const outcome = z.enum(OUTCOMES);

/** A Session API value as a scenario writes it: strings, numbers and booleans are sent as text. */
const launchValue = z.union([z.string(), z.number(), z.boolean()]);

const expectSchema = z.strictObject({
  says: z.array(text).optional(),
  messages: z.array(z.strictObject({ to: text, text: text.optional() })).optional(),
  calls: z.array(text).optional(),
  handlers: z.array(text).optional(),
  ends: z.enum(ENDINGS).optional(),
  documents: z.number().int().min(0).optional(),
  warnings: z.number().int().min(0).optional(),
  /** The one outcome the app reported, or every report in order (`[]`: none). */
  outcome: z.union([outcome, z.array(outcome)]).optional(),
});

/** One scenario: how the session starts, what the people do, what must happen. */
export const scenarioSchema = z
  .strictObject({
    name: text,
    app: text.optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    call: z.strictObject({ from: text.optional(), to: text.optional() }).optional(),
    text: z.string().optional(),
    launch: z.record(z.string(), launchValue).optional(),
    /** The launch carries a campaign reference, as a campaign's dispatcher adds, so `ctx.outcome` reports. */
    campaign: z.boolean().optional(),
    inputs: z.array(z.union([z.string(), z.number()])).optional(),
    callOutcome: legOutcome.optional(),
    transferOutcome: legOutcome.optional(),
    recordOutcome: z.enum(['recorded', 'timeout', 'hangup', 'upload-failed']).optional(),
    userType: z.enum(['HUMAN', 'MACHINE', 'NIL', 'FAX']).optional(),
    signals: z.array(z.string().regex(/^[^@\s]+@\d+(\.\d+)?$/, 'expected NAME@SECONDS')).optional(),
    expect: expectSchema.default({}),
  })
  .superRefine((s, ctx) => {
    if ((s.app === undefined) === (s.url === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['app'], message: 'give exactly one of app and url' });
    }
    // `call: {from, to}` also says who texts whom when `text` is given; a launch dials by itself.
    if (s.launch !== undefined && (s.call !== undefined || s.text !== undefined)) {
      const key = s.call !== undefined ? 'call' : 'text';
      ctx.addIssue({ code: 'custom', path: [key], message: 'a launch excludes call and text' });
    }
    if (s.campaign === true && (s.launch === undefined || s.app === undefined)) {
      const message =
        s.app === undefined
          ? 'a campaign launch needs app: (the in-process server verifies its reference)'
          : 'a campaign launch needs launch: (its Session API parameters)';
      ctx.addIssue({ code: 'custom', path: ['campaign'], message });
    }
    if (s.expect.outcome !== undefined && s.campaign !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['expect', 'outcome'],
        message: 'only a campaign launch reports an outcome: add campaign: true beside launch:',
      });
    }
  });

/** A scenario as read from its file. */
export type Scenario = z.output<typeof scenarioSchema>;

/** A scenario with where it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** 1-based line of the scenario in its file. */
  line: number;
}

/** A scenario file that cannot be used: the message names file, line and key. */
export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
}

const fileSchema = z.union([
  z.strictObject({ scenarios: z.array(z.unknown()).min(1) }),
  z.record(z.string(), z.unknown()),
]);

/** The node at `path` under `root`, as deep as the path still exists (for its line). */
function nodeAt(root: Node | null, path: readonly PropertyKey[], keyItself = false): Node | null {
  let node = root;
  for (const [depth, key] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) return node;
      if (keyItself && depth === path.length - 1) return pair.key as Node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

/** Reads and checks one scenario file (YAML or JSON: JSON is YAML); throws ScenarioFileError. */
export function loadScenarioFile(
  file: string,
  source = readFileSync(file, 'utf8'),
): LoadedScenario[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number | undefined): number =>
    offset === undefined ? 1 : lines.linePos(offset).line;
  const first = doc.errors[0];
  if (first) throw new ScenarioFileError(`${file}:${lineOf(first.pos[0])}: ${first.message}`);
  const root = doc.contents as Node | null;
  const data: unknown = doc.toJS();
  const shape = fileSchema.safeParse(data);
  if (!shape.success || data === null || typeof data !== 'object') {
    throw new ScenarioFileError(
      `${file}:1: a scenario file holds one scenario (a mapping) or a list under "scenarios:"`,
    );
  }
  const many = 'scenarios' in data && Array.isArray(data.scenarios);
  const raw: unknown[] = many ? (data as { scenarios: unknown[] }).scenarios : [data];
  return raw.map((item, index) => {
    const base: PropertyKey[] = many ? ['scenarios', index] : [];
    const parsed = scenarioSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = [...base, ...(issue?.path ?? [])];
      // An unknown key's issue points at its mapping; its line is the key's own.
      const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const at =
        unknown === undefined ? nodeAt(root, path) : nodeAt(root, [...path, unknown], true);
      const key = [...path, ...(unknown === undefined ? [] : [unknown])].map(String).join('.');
      throw new ScenarioFileError(
        `${file}:${lineOf(at?.range?.[0])}: ${key || '(file)'}: ${issue?.message ?? 'not a valid scenario'}`,
      );
    }
    return { scenario: parsed.data, file, line: lineOf(nodeAt(root, base)?.range?.[0]) };
  });
}
