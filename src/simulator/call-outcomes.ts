/**
 * How fake-tropo decides, per launch, whether the number the app dials answers, is busy or never
 * answers: fixed outcomes per number, then shares chosen from a stable hash of the number (so a
 * rerun, or a retry of the same reminder, meets the same outcome), then the script's default.
 */
import { createHash } from 'node:crypto';
import type { LegOutcome } from './script';
import { ScriptError } from './script';

/** Outcomes by number, and the shares of numbers that are busy or do not answer. */
export interface CallOutcomeRules {
  /** Fixed outcomes, keyed by number (compared by digits, so `+1 407…` and `+1407…` match). */
  byNumber?: Readonly<Record<string, LegOutcome>> | undefined;
  /** Fractions from 0 to 1 of all numbers; the rest answer. */
  shares?: Readonly<Partial<Record<'busy' | 'no-answer', number>>> | undefined;
}

const LEG_OUTCOMES: readonly LegOutcome[] = ['answer', 'busy', 'no-answer'];

/** The digits of a number (and a leading +), so differently spaced spellings compare equal. */
export function numberKey(number: string): string {
  const trimmed = number.trim().replace(/^tel:/i, '');
  return `${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}

/** A stable point in [0, 1) for a number: the first 32 bits of its SHA-256. */
export function numberPoint(number: string): number {
  const digest = createHash('sha256').update(numberKey(number)).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The outcome a call to `number` meets under `rules`; `undefined` leaves the script's default. */
export function outcomeFor(
  number: string | undefined,
  rules: CallOutcomeRules,
): LegOutcome | undefined {
  if (number === undefined || number.trim() === '') return undefined;
  const key = numberKey(number);
  for (const [listed, outcome] of Object.entries(rules.byNumber ?? {})) {
    if (numberKey(listed) === key) return outcome;
  }
  const busy = rules.shares?.busy ?? 0;
  const noAnswer = rules.shares?.['no-answer'] ?? 0;
  if (busy === 0 && noAnswer === 0) return undefined;
  const point = numberPoint(number);
  if (point < busy) return 'busy';
  if (point < busy + noAnswer) return 'no-answer';
  return 'answer';
}

function legOutcome(raw: string, source: string): LegOutcome {
  const value = raw.trim().toLowerCase();
  const hit = LEG_OUTCOMES.find((o) => o === value);
  if (hit === undefined) {
    throw new ScriptError(source, `expected one of ${LEG_OUTCOMES.join(', ')}, got "${raw}"`);
  }
  return hit;
}

/** Parses `--outcome NUMBER=busy|no-answer|answer`. Throws `ScriptError`. */
export function parseOutcomeRule(raw: string, source = '--outcome'): [string, LegOutcome] {
  const eq = raw.lastIndexOf('=');
  const number = eq === -1 ? '' : raw.slice(0, eq).trim();
  if (eq === -1 || numberKey(number).replace('+', '') === '') {
    throw new ScriptError(source, `expected NUMBER=busy|no-answer|answer, got "${raw}"`);
  }
  return [number, legOutcome(raw.slice(eq + 1), source)];
}

/** Parses `--outcomes busy=10%,no-answer=5%` (a share may also be written 0.1). Throws `ScriptError`. */
export function parseOutcomeShares(
  raw: string,
  source = '--outcomes',
): Partial<Record<'busy' | 'no-answer', number>> {
  const out: Partial<Record<'busy' | 'no-answer', number>> = {};
  for (const part of raw.split(',')) {
    const match = /^\s*(busy|no-answer)\s*=\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/i.exec(part);
    if (!match) {
      throw new ScriptError(source, `expected busy=P%,no-answer=P%, got "${part.trim()}"`);
    }
    const name = (match[1] ?? '').toLowerCase() as 'busy' | 'no-answer';
    const share = Number(match[2]) / (match[3] === '%' ? 100 : 1);
    if (share > 1) {
      throw new ScriptError(source, `${name} cannot be more than 100% (write 10% or 0.1)`);
    }
    out[name] = share;
  }
  if ((out.busy ?? 0) + (out['no-answer'] ?? 0) > 1) {
    throw new ScriptError(source, 'busy and no-answer together cannot be more than 100%');
  }
  return out;
}
