/**
 * Tropo's simple grammar for `ask` (`choices.value`, §4.2/§5.2): parse a grammar once, then match a
 * caller's key presses, speech or text against it the way Tropo's recogniser reports it.
 *
 * Decisions, where the sources are silent or only imply the behaviour:
 * - Input that consists only of keypad characters (0-9, *, #, spaces) on a voice call is taken as
 *   DTMF; anything else is speech. On the TEXT channel everything is text and `mode` is ignored
 *   ("Only applies to the voice channel").
 * - `mode` (case-insensitive; the 2010 docs' `keypad` means `dtmf`; unknown values mean `any`):
 *   with `dtmf` the speech recogniser is not listening, with `speech` the keypad is not. Tropo's
 *   VoiceXML platform then never hears the input, so the attempt ends as no input at all: the
 *   outcome is `ignored` with disposition TIMEOUT, not NOMATCH.
 * - The terminator (default `#`, as in the Ruby library's documentation) ends DTMF entry and is
 *   never part of the input: `1234#` is `1234`; keys pressed after it are discarded.
 * - `value(synonym, …)`: only the synonyms are recognised (the docs' `department(support, sales)`
 *   is matched by "support", never by "department"); `interpretation` is the synonym as written in
 *   the grammar, `value` and `concept` are the value. A plain item is its own only synonym.
 * - DTMF results: confidence 100, utterance the keys separated by spaces ("1 9 8 0", as in the docs'
 *   trace), interpretation the keys, and NLSML `xml` shaped like the 2017 captures (`1234` for digit
 *   grammars, `dtmf-1` tokens for list grammars). Speech and text use confidence 100 unless the
 *   input carries its own; below `minConfidence` (default 30) the attempt is a NOMATCH.
 * - `[DIGITS]` without a count accepts one or more digits; `[DIGIT]` exactly one. Spoken digits may
 *   be numerals or the words zero/oh/one…nine.
 * - GRXML/JSGF (URLs, inline XML, `#JSGF`) and unknown bracket forms are reported as unsupported,
 *   never thrown: the simulator cannot run a real recogniser.
 */
import { createHash } from 'node:crypto';

/** How the caller answered: keypad, voice, or a text message. */
export type InputVia = 'dtmf' | 'speech' | 'text';

/** One answer from the caller, ready to match. */
export interface CallerInput {
  via: InputVia;
  text: string;
  /** Recogniser confidence 0–100 for speech/text; DTMF is always 100. */
  confidence?: number | undefined;
}

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

/** A successful recognition, with the fields an ask action reports (§7.2). */
export interface GrammarMatch {
  matched: true;
  via: InputVia;
  value: string;
  interpretation: string;
  concept: string;
  utterance: string;
  confidence: number;
  xml: string;
}

/** Input that was heard but did not fit the grammar (or was below `minConfidence`). */
export interface GrammarNoMatch {
  matched: false;
  reason: 'nomatch';
  disposition: 'NOMATCH';
  utterance: string;
  message: string;
}

/** Input in a modality the ask was not listening for: Tropo hears nothing, so the attempt times out. */
export interface GrammarIgnored {
  matched: false;
  reason: 'ignored';
  disposition: 'TIMEOUT';
  message: string;
}

/** The grammar could not be interpreted by the simulator. */
export interface GrammarUnsupported {
  matched: false;
  reason: 'unsupported';
  message: string;
}

/** Everything `matchGrammar` can answer. */
export type MatchOutcome = GrammarMatch | GrammarNoMatch | GrammarIgnored | GrammarUnsupported;

/** Options that come from the ask verb around the grammar. */
export interface MatchOptions {
  /** Raw `choices.mode`; compared case-insensitively. */
  mode?: string | null | undefined;
  /** Raw `choices.terminator`; default `#`. */
  terminator?: string | null | undefined;
  /** Raw `minConfidence` (0–100); default 30. */
  minConfidence?: number | null | undefined;
  /** Position of the grammar in the session, shown in the NLSML reference (`0@…`). */
  grammarIndex?: number | undefined;
}

const DEFAULT_TERMINATOR = '#';
const DEFAULT_MIN_CONFIDENCE = 30;
const DTMF_ONLY = /^[0-9*#]+$/;
const WHITESPACE = /\s+/g;

const SPOKEN_DIGITS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  o: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** True when `text` (spaces ignored) is a non-empty run of keypad characters 0-9 * #. */
export function isDtmfSequence(text: string): boolean {
  return DTMF_ONLY.test(text.replace(WHITESPACE, ''));
}

/**
 * Classifies a scripted answer: on TEXT it is text; on VOICE it is DTMF when only keypad characters
 * are used (or `via` forces one of the two), otherwise speech.
 */
export function toCallerInput(
  text: string,
  channel: 'VOICE' | 'TEXT',
  via?: 'dtmf' | 'speech',
  confidence?: number,
): CallerInput {
  const base: CallerInput =
    channel === 'TEXT'
      ? { via: 'text', text }
      : { via: via ?? (isDtmfSequence(text) ? 'dtmf' : 'speech'), text };
  if (confidence !== undefined) base.confidence = confidence;
  return base;
}

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

/** Lower-cases, collapses spaces and drops surrounding punctuation, so "Yes." matches "yes". */
function normalisePhrase(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(WHITESPACE, ' ')
    .replace(/^[\s.,!?;:'"]+|[\s.,!?;:'"]+$/g, '');
}

/** Digits spoken or typed as numerals and/or digit words; null when anything else was said. */
function spokenDigits(text: string): string | null {
  const tokens = text
    .toLowerCase()
    .split(/[\s,.-]+/)
    .filter((t) => t.length > 0);
  if (tokens.length === 0) return null;
  let digits = '';
  for (const token of tokens) {
    if (/^\d+$/.test(token)) digits += token;
    else {
      const digit = SPOKEN_DIGITS[token];
      if (digit === undefined) return null;
      digits += digit;
    }
  }
  return digits;
}

function digitsFit(digits: string, alt: { min: number; max: number | null }): boolean {
  return digits.length >= alt.min && (alt.max === null || digits.length <= alt.max);
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The NLSML document Tropo reports in an ask action's `xml`, in the layout of the 2017 captures. */
export function nlsml(
  grammarRef: string,
  confidence: number,
  mode: 'dtmf' | 'speech',
  input: string,
): string {
  const ref = escapeXml(grammarRef);
  return (
    `<?xml version="1.0"?>\r\n<result grammar="${ref}">\r\n` +
    `    <interpretation grammar="${ref}" confidence="${confidence}">\r\n        \r\n` +
    `      <input mode="${mode}">${escapeXml(input)}</input>\r\n` +
    `    </interpretation>\r\n</result>\r\n`
  );
}

interface Recognised {
  value: string;
  interpretation: string;
  utterance: string;
  xmlInput: string;
}

function recogniseDtmf(alt: GrammarAlternative, keys: string): Recognised | null {
  const spaced = keys.split('').join(' ');
  switch (alt.kind) {
    case 'digits':
      return /^\d+$/.test(keys) && digitsFit(keys, alt)
        ? { value: keys, interpretation: keys, utterance: spaced, xmlInput: keys }
        : null;
    case 'any':
      return { value: keys, interpretation: keys, utterance: spaced, xmlInput: keys };
    case 'choice': {
      const hit = alt.synonyms.some((s) => {
        const compact = s.replace(WHITESPACE, '');
        return DTMF_ONLY.test(compact) && compact === keys;
      });
      if (!hit) return null;
      const tokens = keys
        .split('')
        .map((k) => `dtmf-${k}`)
        .join(' ');
      return { value: alt.value, interpretation: keys, utterance: spaced, xmlInput: tokens };
    }
  }
}

function recogniseWords(alt: GrammarAlternative, said: string): Recognised | null {
  switch (alt.kind) {
    case 'digits': {
      const digits = spokenDigits(said);
      return digits !== null && digitsFit(digits, alt)
        ? { value: digits, interpretation: digits, utterance: said, xmlInput: said }
        : null;
    }
    case 'any':
      return { value: said, interpretation: said, utterance: said, xmlInput: said };
    case 'choice': {
      const heard = normalisePhrase(said);
      const synonym = alt.synonyms.find((s) => normalisePhrase(s) === heard);
      return synonym === undefined
        ? null
        : { value: alt.value, interpretation: synonym, utterance: said, xmlInput: said };
    }
  }
}

function noMatch(utterance: string, message: string): GrammarNoMatch {
  return { matched: false, reason: 'nomatch', disposition: 'NOMATCH', utterance, message };
}

function effectiveTerminator(raw: unknown): string {
  if (typeof raw !== 'string') return DEFAULT_TERMINATOR;
  const key = raw.trim();
  return key.length === 1 && DTMF_ONLY.test(key) ? key : DEFAULT_TERMINATOR;
}

function effectiveMinConfidence(raw: unknown): number {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : DEFAULT_MIN_CONFIDENCE;
}

function clampConfidence(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return 100;
  return Math.min(100, Math.max(0, Math.round(raw)));
}

/** Matches one caller input against a parsed grammar; never throws. */
export function matchGrammar(
  grammar: Grammar,
  input: CallerInput,
  options: MatchOptions = {},
): MatchOutcome {
  if (!grammar.supported) {
    return {
      matched: false,
      reason: 'unsupported',
      message: `unsupported grammar: ${grammar.reason}`,
    };
  }
  if (typeof input.text !== 'string') return noMatch('', 'the input is not text');
  const mode = parseMode(options.mode);
  if (input.via === 'dtmf' && mode === 'speech') {
    return {
      matched: false,
      reason: 'ignored',
      disposition: 'TIMEOUT',
      message: 'key presses are ignored: choices.mode is speech',
    };
  }
  if (input.via === 'speech' && mode === 'dtmf') {
    return {
      matched: false,
      reason: 'ignored',
      disposition: 'TIMEOUT',
      message: 'speech is ignored: choices.mode is dtmf',
    };
  }

  let recognised: Recognised | null = null;
  let confidence = 100;
  let heard: string;
  let xmlMode: 'dtmf' | 'speech';
  if (input.via === 'dtmf') {
    const pressed = input.text.replace(WHITESPACE, '');
    const terminator = effectiveTerminator(options.terminator);
    const at = pressed.indexOf(terminator);
    const keys = at === -1 ? pressed : pressed.slice(0, at);
    heard = keys.split('').join(' ');
    xmlMode = 'dtmf';
    if (keys === '') return noMatch(heard, 'no keys before the terminator');
    if (!DTMF_ONLY.test(keys)) return noMatch(heard, 'only 0-9, * and # can be pressed');
    for (const alt of grammar.alternatives) {
      recognised = recogniseDtmf(alt, keys);
      if (recognised) break;
    }
  } else {
    heard = input.text.replace(WHITESPACE, ' ').trim();
    xmlMode = 'speech';
    confidence = clampConfidence(input.confidence);
    if (heard === '') return noMatch(heard, 'nothing was said');
    for (const alt of grammar.alternatives) {
      recognised = recogniseWords(alt, heard);
      if (recognised) break;
    }
  }

  if (!recognised)
    return noMatch(heard, `"${heard}" does not match the grammar "${grammar.source}"`);
  const minConfidence = effectiveMinConfidence(options.minConfidence);
  if (confidence < minConfidence) {
    return noMatch(heard, `confidence ${confidence} is below minConfidence ${minConfidence}`);
  }
  const index = options.grammarIndex ?? 0;
  return {
    matched: true,
    via: input.via,
    value: recognised.value,
    interpretation: recognised.interpretation,
    concept: recognised.value,
    utterance: recognised.utterance,
    confidence,
    xml: nlsml(`${index}@${grammar.hash}.vxmlgrammar`, confidence, xmlMode, recognised.xmlInput),
  };
}

/** Parses `choicesValue` and matches `input` in one step (prefer `parseGrammar` once per ask). */
export function matchChoices(
  choicesValue: unknown,
  input: CallerInput,
  options: MatchOptions = {},
): MatchOutcome {
  return matchGrammar(parseGrammar(choicesValue), input, options);
}
