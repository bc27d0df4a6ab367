/** Matches a caller's key presses, speech or text against a parsed simple grammar and reports it the way Tropo's recogniser does (./grammar.ts lists the decisions). */
import { type Grammar, type GrammarAlternative, parseGrammar, parseMode } from './grammar-parse';
import { escapeXml } from '../lib';

/** How the caller answered: keypad, voice, or a text message. */
export type InputVia = 'dtmf' | 'speech' | 'text';

/** One answer from the caller, ready to match. */
export interface CallerInput {
  via: InputVia;
  text: string;
  /** Recogniser confidence 0–100 for speech/text; DTMF is always 100. */
  confidence?: number | undefined;
}

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
