/** Turns a transcript into the readable text `tropo-app simulate` and `fake-tropo` print: one line per event, coloured on a terminal, optionally with every HTTP body. */
import type { Actor, LineLevel, Transcript, TranscriptExchange } from './transcript';
import { verdictOf } from './verdict';

/** How to render. */
export interface RenderOptions {
  /** ANSI colours (only when printing to a terminal). */
  color?: boolean | undefined;
  /** Print each request and response body under the line that mentions it. */
  verbose?: boolean | undefined;
  /** Print each answer exactly as the app sent it (kept only when the session ran with `keepRaw`). */
  raw?: boolean | undefined;
  /** Warnings fail the session. */
  strict?: boolean | undefined;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
} as const;

type Paint = (style: keyof typeof ANSI, text: string) => string;

/**
 * C0 controls, DEL, C1 controls, and the Unicode line separators and bidirectional overrides: what
 * lets text an app supplies clear a terminal, move its cursor, or forge or reorder a line.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text safe to print on a terminal: every control character (ESC, CR, other C0 and C1, DEL,
 * Unicode line separators and bidi overrides) is written as a visible escape such as `\x1b`, so an
 * app's `say` value cannot clear the screen or forge a line. `multiline` keeps line feeds (bodies,
 * stacks); otherwise they are escaped too.
 */
export function printable(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? UNPRINTABLE_BUT_NEWLINE : UNPRINTABLE, escapeOne);
}

const ACTOR_STYLE: Record<Actor, keyof typeof ANSI> = {
  tropo: 'cyan',
  caller: 'yellow',
  app: 'magenta',
  simulator: 'dim',
};

const LEVEL_STYLE: Record<LineLevel, keyof typeof ANSI | undefined> = {
  info: undefined,
  warning: 'yellow',
  error: 'red',
};

/** `[m:ss.s]` for simulated seconds. */
export function clockOf(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = (seconds - minutes * 60).toFixed(1).padStart(4, '0');
  return `[${minutes}:${rest}]`;
}

const KIND: Record<Transcript['kind'], string> = {
  voice: 'inbound call',
  text: 'inbound text',
  token: 'Session API launch',
};

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => `${pad}${line}`)
    .join('\n');
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const MULTILINE = { multiline: true } as const;

function bodyDetails(exchange: TranscriptExchange, paint: Paint): string[] {
  const out = [
    paint('dim', indent(`→ POST ${printable(exchange.url)}`, 10)),
    paint('dim', indent(printable(JSON.stringify(exchange.request, null, 2), MULTILINE), 12)),
  ];
  if (exchange.response) {
    const { status, contentType, body, durationMs } = exchange.response;
    out.push(
      paint(
        'dim',
        indent(
          `← ${status} ${printable(contentType ?? '(no content-type)')} in ${durationMs} ms`,
          10,
        ),
      ),
    );
    if (body !== '') out.push(paint('dim', indent(printable(prettyBody(body), MULTILINE), 12)));
  }
  return out;
}

function rawDetails(exchange: TranscriptExchange, paint: Paint): string[] {
  const raw = exchange.response?.raw;
  if (raw === undefined) return [];
  return [
    paint('dim', indent('raw, as the app sent it:', 10)),
    indent(printable(raw, MULTILINE), 12),
  ];
}

function issueDetails(exchange: TranscriptExchange, paint: Paint): string[] {
  const out: string[] = [];
  if (exchange.failure) {
    out.push(
      paint(
        'red',
        indent(`✗ ${exchange.failure.kind}: ${printable(exchange.failure.message)}`, 10),
      ),
    );
  }
  for (const issue of exchange.issues ?? []) {
    out.push(
      paint(
        issue.severity === 'error' ? 'red' : 'yellow',
        indent(
          `${issue.severity}: ${printable(issue.path || '(document)')}: ${printable(issue.message)}`,
          10,
        ),
      ),
    );
  }
  return out;
}

/** Renders a transcript as text ending with a newline. */
export function renderTranscript(transcript: Transcript, options: RenderOptions = {}): string {
  const paint: Paint = options.color
    ? (style, text) => `${ANSI[style]}${text}${ANSI.reset}`
    : (_style, text) => text;
  const out: string[] = [
    paint(
      'bold',
      `Simulated ${KIND[transcript.kind]} ${printable(transcript.sessionId)} → ${printable(transcript.startUrl)}`,
    ),
  ];
  const detailed = new Set<number>();
  const detail = (exchange: TranscriptExchange): string[] => [
    ...(options.verbose ? bodyDetails(exchange, paint) : []),
    ...(options.raw ? rawDetails(exchange, paint) : []),
    ...(options.verbose ? issueDetails(exchange, paint) : []),
  ];
  for (const line of transcript.lines) {
    const style = LEVEL_STYLE[line.level] ?? ACTOR_STYLE[line.actor];
    out.push(`${paint('dim', clockOf(line.at))} ${paint(style, printable(line.text))}`);
    const exchange = line.exchange === undefined ? undefined : transcript.exchanges[line.exchange];
    if ((options.verbose || options.raw) && exchange && !detailed.has(exchange.index)) {
      detailed.add(exchange.index);
      out.push(...detail(exchange));
    }
  }
  const outcome = transcript.outcome;
  if (outcome === null) {
    out.push(paint('dim', '(still running)'));
  } else {
    const counts = `${transcript.documents} document${transcript.documents === 1 ? '' : 's'}, ${transcript.results} result${transcript.results === 1 ? '' : 's'}`;
    const judged = verdictOf(transcript, { strict: options.strict });
    const verdict = judged.ok
      ? paint('green', `OK: the session ended normally (${counts})`)
      : paint('red', `FAILED: ${printable(judged.reason)} (${counts})`);
    out.push(verdict);
    // A crash of the simulator itself: its stack is what a bug report needs.
    if (outcome.cause !== undefined)
      out.push(paint('dim', indent(printable(outcome.cause, MULTILINE), 2)));
  }
  return `${out.join('\n')}\n`;
}
