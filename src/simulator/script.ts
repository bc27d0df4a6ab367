/**
 * The caller script: what the simulated caller and far ends do during a session (answers for
 * successive asks, how outbound calls and transfers end, how a recording goes), with parsers for
 * CLI flags and for a JSON form.
 *
 * Answers: digits (`1234`, `1 2 3 4`, `1234#`) are key presses on a voice call, words are speech;
 * `dtmf:` / `speech:` prefixes force one or the other (`speech:timeout` says the word). The special
 * answers `timeout` (say nothing), `hangup` (the caller hangs up during the ask) and `nomatch`
 * (something the grammar cannot match) are case-insensitive. When the script runs out of answers
 * the caller stays silent, so further asks time out.
 */
import { z } from 'zod';
import { isDtmfSequence } from './grammar';
import type { MachineUserType } from './result-builder';

/** One scripted answer to an ask. */
export type ScriptedInput =
  | { kind: 'answer'; text: string; via?: 'dtmf' | 'speech' }
  | { kind: 'timeout' }
  | { kind: 'hangup' }
  | { kind: 'nomatch' };

/** How an outbound leg (call, transfer) ends up. */
export type LegOutcome = 'answer' | 'busy' | 'no-answer';

/** How a record verb goes: the caller speaks and the upload works, stays silent, or hangs up. */
export type RecordOutcome = 'recorded' | 'timeout' | 'hangup' | 'upload-failed';

/** Everything the simulated world does, in one value. */
export interface CallerScript {
  /** Answers for successive asks, in order. */
  inputs: readonly ScriptedInput[];
  /** How `call` verbs end up. */
  callOutcome: LegOutcome;
  /** What machine detection reports for an answered call or transfer. */
  userType: MachineUserType;
  /** How `transfer` verbs end up. */
  transferOutcome: LegOutcome;
  /** Seconds a connected transfer lasts before a party hangs up. */
  transferDuration: number;
  /** Seconds the caller stays in a conference before hanging up. */
  conferenceDuration: number;
  recordOutcome: RecordOutcome;
  /** Seconds of audio a successful recording holds. */
  recordDuration: number;
}

/** The script used when nothing is specified: every leg answers, humans everywhere, no answers. */
export const DEFAULT_SCRIPT: CallerScript = Object.freeze({
  inputs: Object.freeze([]),
  callOutcome: 'answer',
  userType: 'HUMAN',
  transferOutcome: 'answer',
  transferDuration: 30,
  conferenceDuration: 60,
  recordOutcome: 'recorded',
  recordDuration: 5,
});

/** The longest a Tropo session may last (4 h, §5.3); longer scripted durations are mistakes. */
export const MAX_DURATION_SECONDS = 4 * 60 * 60;

/** A script value that cannot be used; `source` names the flag or field. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

/** Type guard for `ScriptError`. */
export function isScriptError(error: unknown): error is ScriptError {
  return error instanceof ScriptError;
}

const LEG_OUTCOMES: readonly LegOutcome[] = ['answer', 'busy', 'no-answer'];
const USER_TYPES: readonly MachineUserType[] = ['HUMAN', 'MACHINE', 'NIL', 'FAX'];
const RECORD_OUTCOMES: readonly RecordOutcome[] = [
  'recorded',
  'timeout',
  'hangup',
  'upload-failed',
];

/** Parses one scripted answer; `source` names where it came from in error messages. */
export function parseInput(raw: string, source = '--input'): ScriptedInput {
  const text = raw.trim();
  if (text === '')
    throw new ScriptError(source, 'an answer must not be empty (use "timeout" for silence)');
  const word = text.toLowerCase();
  if (word === 'timeout') return { kind: 'timeout' };
  if (word === 'hangup') return { kind: 'hangup' };
  if (word === 'nomatch') return { kind: 'nomatch' };
  const prefix = /^(dtmf|speech):(.*)$/is.exec(text);
  if (prefix) {
    const via = (prefix[1] ?? '').toLowerCase() as 'dtmf' | 'speech';
    const body = (prefix[2] ?? '').trim();
    if (body === '') throw new ScriptError(source, `"${raw}" has nothing after "${via}:"`);
    if (via === 'dtmf' && !isDtmfSequence(body)) {
      throw new ScriptError(source, `"${raw}": key presses can only be 0-9, * and #`);
    }
    return { kind: 'answer', text: body, via };
  }
  return { kind: 'answer', text };
}

function oneOf<T extends string>(
  source: string,
  raw: string,
  allowed: readonly T[],
  normalise: (s: string) => string,
): T {
  const value = normalise(raw.trim());
  const hit = allowed.find((a) => a === value);
  if (hit === undefined) {
    throw new ScriptError(source, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return hit;
}

/** Parses a whole number of seconds between 0 and the maximum session length. */
export function parseSeconds(raw: string | number, source: string): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new ScriptError(source, `expected a whole number of seconds, got "${String(raw)}"`);
  }
  const seconds = Number(text);
  if (seconds > MAX_DURATION_SECONDS) {
    throw new ScriptError(
      source,
      `${seconds} s is longer than a Tropo session may last (${MAX_DURATION_SECONDS} s)`,
    );
  }
  return seconds;
}

type Setter = (script: MutableScript, raw: string, source: string) => void;
type MutableScript = { -readonly [K in keyof CallerScript]: CallerScript[K] } & {
  inputs: ScriptedInput[];
};

const lower = (s: string): string => s.toLowerCase();
const upper = (s: string): string => s.toUpperCase();

/**
 * The script flags by name. A Map, not an object literal: a command-line word such as `__proto__`,
 * `constructor` or `hasOwnProperty` must not find a setter on Object.prototype.
 */
const FLAGS: ReadonlyMap<string, Setter> = new Map<string, Setter>([
  [
    '--input',
    (s, raw, src) => {
      s.inputs.push(parseInput(raw, src));
    },
  ],
  [
    '--call-outcome',
    (s, raw, src) => {
      s.callOutcome = oneOf(src, raw, LEG_OUTCOMES, lower);
    },
  ],
  [
    '--user-type',
    (s, raw, src) => {
      s.userType = oneOf(src, raw, USER_TYPES, upper);
    },
  ],
  [
    '--transfer-outcome',
    (s, raw, src) => {
      s.transferOutcome = oneOf(src, raw, LEG_OUTCOMES, lower);
    },
  ],
  [
    '--transfer-duration',
    (s, raw, src) => {
      s.transferDuration = parseSeconds(raw, src);
    },
  ],
  [
    '--conference-duration',
    (s, raw, src) => {
      s.conferenceDuration = parseSeconds(raw, src);
    },
  ],
  [
    '--record-outcome',
    (s, raw, src) => {
      s.recordOutcome = oneOf(src, raw, RECORD_OUTCOMES, lower);
    },
  ],
  [
    '--record-duration',
    (s, raw, src) => {
      s.recordDuration = parseSeconds(raw, src);
    },
  ],
]);

/**
 * Takes the script flags (`--input X`, `--input=X`, `--call-outcome busy`, …) out of a command
 * line; everything else is returned untouched in `rest`, in order. Throws `ScriptError`.
 */
export function parseScriptArgs(
  argv: readonly string[],
  base: CallerScript = DEFAULT_SCRIPT,
): { script: CallerScript; rest: string[] } {
  const script: MutableScript = { ...base, inputs: [...base.inputs] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const setter = FLAGS.get(flag);
    if (!setter) {
      rest.push(arg);
      continue;
    }
    let value: string;
    if (flag !== arg) {
      value = arg.slice(eq + 1);
    } else {
      const following = argv[i + 1];
      if (following === undefined) throw new ScriptError(flag, 'needs a value');
      value = following;
      i += 1;
    }
    setter(script, value, flag);
  }
  return { script, rest };
}

const durationField = z.union([z.number(), z.string()]);
const jsonScriptSchema = z
  .object({
    inputs: z.array(z.string()).optional(),
    callOutcome: z.string().optional(),
    userType: z.string().optional(),
    transferOutcome: z.string().optional(),
    transferDuration: durationField.optional(),
    conferenceDuration: durationField.optional(),
    recordOutcome: z.string().optional(),
    recordDuration: durationField.optional(),
  })
  .strict();

/**
 * Reads a script from JSON (e.g. a fake-tropo request body): the same names as `CallerScript`,
 * with `inputs` as strings in CLI syntax. Unknown keys are errors, so typos are not silently lost.
 */
export function scriptFromJson(value: unknown, base: CallerScript = DEFAULT_SCRIPT): CallerScript {
  const parsed = jsonScriptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `script.${issue.path.join('.')}` : 'script';
    throw new ScriptError(where, issue?.message ?? 'not a valid script');
  }
  const data = parsed.data;
  const script: MutableScript = { ...base, inputs: [...base.inputs] };
  data.inputs?.forEach((raw, i) => script.inputs.push(parseInput(raw, `script.inputs.${i}`)));
  if (data.callOutcome !== undefined) {
    script.callOutcome = oneOf('script.callOutcome', data.callOutcome, LEG_OUTCOMES, lower);
  }
  if (data.userType !== undefined) {
    script.userType = oneOf('script.userType', data.userType, USER_TYPES, upper);
  }
  if (data.transferOutcome !== undefined) {
    script.transferOutcome = oneOf(
      'script.transferOutcome',
      data.transferOutcome,
      LEG_OUTCOMES,
      lower,
    );
  }
  if (data.transferDuration !== undefined) {
    script.transferDuration = parseSeconds(data.transferDuration, 'script.transferDuration');
  }
  if (data.conferenceDuration !== undefined) {
    script.conferenceDuration = parseSeconds(data.conferenceDuration, 'script.conferenceDuration');
  }
  if (data.recordOutcome !== undefined) {
    script.recordOutcome = oneOf(
      'script.recordOutcome',
      data.recordOutcome,
      RECORD_OUTCOMES,
      lower,
    );
  }
  if (data.recordDuration !== undefined) {
    script.recordDuration = parseSeconds(data.recordDuration, 'script.recordDuration');
  }
  return script;
}

/** Hands out a script's answers one ask at a time; silence (`timeout`) once they run out. */
export class InputQueue {
  private position = 0;

  constructor(private readonly inputs: readonly ScriptedInput[]) {}

  /** The next answer, or `{kind: 'timeout'}` when the script has no more. */
  next(): ScriptedInput {
    const input = this.inputs[this.position];
    if (input === undefined) return { kind: 'timeout' };
    this.position += 1;
    return input;
  }

  /** Answers not yet handed out. */
  get remaining(): number {
    return this.inputs.length - this.position;
  }

  /** True when every scripted answer has been used. */
  get exhausted(): boolean {
    return this.remaining === 0;
  }
}
