/** Small things the session and its verbs share: simulated durations, how long a prompt takes, whether a signal may interrupt, how counts and addresses are written. */
import type { SayItem, Verb } from '../../tropo';
import { roundSeconds } from '../transcript';

// Simulated durations, in seconds; the engine's file comment says where they come from.
export const RING_SECONDS = 5;
export const BUSY_SECONDS = 3;
export const RESPONSE_SECONDS = 2;
export const AUDIO_SECONDS = 3;
export const BEEP_SECONDS = 0.5;
export const WORDS_PER_SECOND = 2.5;
export const DEFAULT_ASK_TIMEOUT = 30;
export const DEFAULT_LEG_TIMEOUT = 30;
export const DEFAULT_RECORD_TIMEOUT = 30;

/** A verb's `allowSignals`. */
export type Signals = string | string[] | undefined;

/** True when `allow` (a verb's `allowSignals`) lets signal `name` interrupt it (§4.6). */
export function signalAllowed(allow: Signals, name: string): boolean {
  if (allow === undefined) return true;
  const list = Array.isArray(allow) ? allow : [allow];
  return list.some((entry) => entry === '*' || entry === name);
}

/** Seconds a prompt takes to play: audio files a few seconds, text at a speaking pace. */
export function speakingSeconds(value: string): number {
  if (/^https?:\/\/\S+$/i.test(value.trim())) return AUDIO_SECONDS;
  const words = value
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0).length;
  return words === 0 ? 0 : Math.max(0.5, roundSeconds(words / WORDS_PER_SECOND));
}

/** An address as a person reads it: `tel:+14155551212` → `+14155551212`. */
export function displayAddress(address: string): string {
  return address.trim().replace(/^tel:/i, '');
}

function eventTokens(event: string): string[] {
  return event
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Say items for an event: `nomatch`/`timeout` alone or with the number of the failed attempt. */
export function eventItems(items: readonly SayItem[], kind: string, attempt: number): SayItem[] {
  return items.filter(
    (item) =>
      item.event !== undefined &&
      eventTokens(item.event).some((t) => t === kind || t === `${kind}:${attempt}`),
  );
}

/** `1 document`, `2 documents`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Simulated seconds as the transcript writes them: `2.5 s`. */
export function seconds(n: number): string {
  return `${roundSeconds(n)} s`;
}

/** The name of a verb: its one key. */
export function verbName(verb: Verb): string {
  return Object.keys(verb)[0] ?? '?';
}
