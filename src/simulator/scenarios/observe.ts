/** What a transcript shows a scenario can check: what Tropo said, texted and dialled, the handlers POSTed, how it ended. */
import type { Transcript } from '../transcript';

/** One observed thing and the transcript line it came from. */
export interface Seen<T> {
  value: T;
  line: number;
}

const SAID = /^Tropo (?:says(?: while it listens| to [^:]+)?: |plays |texts [^:]+: )(.*)$/s;
const TEXTED = /^Tropo texts (\S+)(?: from \S+)?: (.*)$/s;
const MESSAGE_CALL = /^Tropo says to (\S+): (.*)$/s;
const DIALLED =
  /^Tropo (?:→ calls|→ starts a text conversation with|transfers the caller to) (\S+)/;

function collect<T>(t: Transcript, pick: (text: string) => T | undefined): Seen<T>[] {
  const out: Seen<T>[] = [];
  t.lines.forEach((line, index) => {
    if (line.actor !== 'tropo') return;
    const value = pick(line.text);
    if (value !== undefined) out.push({ value, line: index });
  });
  return out;
}

/** Everything Tropo said, played or texted, in order. */
export function saidOf(t: Transcript): Seen<string>[] {
  return collect(t, (text) => SAID.exec(text)?.[1]);
}

/** Texts sent and messages delivered by call, in order: to whom and what. */
export function messagesOf(t: Transcript): Seen<{ to: string; text: string }>[] {
  return collect(t, (text) => {
    const m = TEXTED.exec(text) ?? MESSAGE_CALL.exec(text);
    return m ? { to: m[1] ?? '', text: m[2] ?? '' } : undefined;
  });
}

/** The numbers Tropo dialled (calls, text conversations, transfers), in order. */
export function callsOf(t: Transcript): Seen<string>[] {
  return collect(t, (text) => DIALLED.exec(text)?.[1]?.replace(/,$/, ''));
}

/** The path of a URL, without origin or query (`/apps/ivr-menu/choice`). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    // Not absolute: the part before any query.
    return url.split('?')[0] ?? url;
  }
}

/** The handler paths the session POSTed results to, in order, with the line of each POST. */
export function handlersOf(t: Transcript): Seen<string>[] {
  return t.exchanges
    .filter((e) => e.purpose === 'result')
    .map((e) => ({
      value: pathOf(e.url),
      line: Math.max(
        0,
        t.lines.findIndex((l) => l.exchange === e.index),
      ),
    }));
}

/** How the session ended, in `expect.ends` words. */
export function endingOf(t: Transcript): string {
  const outcome = t.outcome;
  if (outcome === null) return 'running';
  if (outcome.status !== 'completed') return outcome.status;
  const reason = outcome.reason;
  if (/caller hung up/.test(reason)) return 'caller-hangup';
  if (/app hung up/.test(reason)) return 'hangup';
  if (/rejected/.test(reason)) return 'rejected';
  if (/redirected/.test(reason)) return 'redirected';
  return 'ended';
}

/** True when an expected handler names this path: the whole path, or its last segments. */
export function handlerMatches(expected: string, path: string): boolean {
  const want = expected.replace(/^\/+/, '');
  return path === `/${want}` || path.endsWith(`/${want}`);
}
