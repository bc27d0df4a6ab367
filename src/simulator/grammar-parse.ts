/** Reads Tropo's simple grammar (`choices.value`) and `choices.mode` into values the matcher uses; never throws (./grammar.ts lists the decisions). */
import { createHash } from 'node:crypto';

/** One comma-separated alternative of a simple grammar. */
export type GrammarAlternative =
  | { kind: 'digits'; min: number; max: number | null }
  | { kind: 'any' }
  | { kind: 'choice'; value: string; synonyms: readonly string[] };

/** A grammar the simulator understands. */
export interface SimpleGrammar {
  supported: true;
  source: string;
  alternatives: readonly GrammarAlternative[];
  /** True when `[ANY]` is used: Tropo only honours it on the TEXT channel. */
  usesAny: boolean;
  /** Eight hex digits derived from the grammar text, used in the NLSML grammar reference. */
  hash: string;
}

/** A grammar the simulator cannot interpret (GRXML, JSGF, unknown bracket forms…). */
export interface UnsupportedGrammar {
  supported: false;
  source: string;
  reason: string;
}

/** The result of `parseGrammar`. */
export type Grammar = SimpleGrammar | UnsupportedGrammar;

/** `choices.mode` after normalisation. */
export type GrammarMode = 'any' | 'dtmf' | 'speech';

/** Normalises `choices.mode`: case-insensitive, `keypad` = `dtmf`, anything unknown = `any`. */
export function parseMode(raw: unknown): GrammarMode {
  if (typeof raw !== 'string') return 'any';
  const mode = raw.trim().toLowerCase();
  if (mode === 'dtmf' || mode === 'keypad') return 'dtmf';
  // `voice` is VoiceXML's name for the speech input mode.
  if (mode === 'speech' || mode === 'voice') return 'speech';
  return 'any';
}

function unsupported(source: string, reason: string): UnsupportedGrammar {
  return { supported: false, source, reason };
}

/** Splits on commas that are not inside (…) or […]; null when the brackets do not balance. */
function splitTopLevel(text: string): string[] | null {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth += 1;
    if (ch === ')' || ch === ']') depth -= 1;
    if (depth < 0) return null;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) return null;
  items.push(current);
  return items;
}

const BRACKET_FORM = /^\[\s*(?:(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?)?([A-Za-z]+)\s*\]$/;
const CHOICE_WITH_SYNONYMS = /^([^()[\]]+?)\s*\(([^()[\]]*)\)$/;

function parseBracket(item: string): GrammarAlternative | string {
  const m = BRACKET_FORM.exec(item);
  if (!m) return `unsupported simple grammar "${item}"`;
  const [, minText, maxText, word = ''] = m;
  const keyword = word.toUpperCase();
  if (keyword === 'ANY') {
    return minText === undefined ? { kind: 'any' } : `"${item}": [ANY] takes no count`;
  }
  if (keyword !== 'DIGITS' && keyword !== 'DIGIT') return `unsupported simple grammar "${item}"`;
  if (minText === undefined) {
    return keyword === 'DIGIT'
      ? { kind: 'digits', min: 1, max: 1 }
      : { kind: 'digits', min: 1, max: null };
  }
  const min = Number(minText);
  const max = maxText === undefined ? min : Number(maxText);
  if (min < 1) return `"${item}": the digit count must be at least 1`;
  if (max < min) return `"${item}": the range ends before it starts`;
  return { kind: 'digits', min, max };
}

function parseItem(item: string): GrammarAlternative | string {
  if (item.startsWith('[')) return parseBracket(item);
  if (item.includes('(') || item.includes(')')) {
    const m = CHOICE_WITH_SYNONYMS.exec(item);
    if (!m) return `cannot read the list item "${item}" (expected value(synonym, …))`;
    const value = (m[1] ?? '').trim();
    const synonyms = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return { kind: 'choice', value, synonyms: synonyms.length > 0 ? synonyms : [value] };
  }
  if (item.includes('[') || item.includes(']')) return `cannot read the list item "${item}"`;
  return { kind: 'choice', value: item, synonyms: [item] };
}

/** Parses `choices.value` into a matcher; never throws (unreadable grammars come back unsupported). */
export function parseGrammar(value: unknown): Grammar {
  if (typeof value !== 'string') return unsupported('', 'the grammar is not a string');
  const source = value;
  const text = value.trim();
  if (text === '') return unsupported(source, 'the grammar is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return unsupported(
      source,
      'external grammar URLs (GRXML/JSGF) are not supported by the simulator',
    );
  }
  if (text.startsWith('<')) {
    return unsupported(source, 'inline XML (GRXML) grammars are not supported by the simulator');
  }
  if (/^#\s*(JSGF|ABNF)/i.test(text)) {
    return unsupported(source, 'inline JSGF/ABNF grammars are not supported by the simulator');
  }
  if (/^[^,()[\]\s]+\.(grxml|gram|jsgf|srgs|xml)$/i.test(text)) {
    return unsupported(source, 'grammar files (GRXML/JSGF) are not supported by the simulator');
  }
  const items = splitTopLevel(text);
  if (items === null) return unsupported(source, 'unbalanced brackets or parentheses');
  const alternatives: GrammarAlternative[] = [];
  for (const raw of items) {
    const item = raw.trim();
    // Tolerate stray commas ("1,2,") the way a lenient recogniser compiler would.
    if (item === '') continue;
    const parsed = parseItem(item);
    if (typeof parsed === 'string') return unsupported(source, parsed);
    alternatives.push(parsed);
  }
  if (alternatives.length === 0) return unsupported(source, 'the grammar lists no choices');
  return {
    supported: true,
    source,
    alternatives,
    usesAny: alternatives.some((a) => a.kind === 'any'),
    hash: createHash('sha1').update(source).digest('hex').slice(0, 8),
  };
}
