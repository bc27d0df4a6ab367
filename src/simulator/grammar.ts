/**
 * Tropo's simple grammar for `ask` (`choices.value`, §4.2/§5.2): parse a grammar once
 * (./grammar-parse.ts), then match a caller's key presses, speech or text against it the way Tropo's
 * recogniser reports it (./grammar-match.ts). This module is their one entry.
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
export {
  parseGrammar,
  parseMode,
  type Grammar,
  type GrammarAlternative,
  type GrammarMode,
  type SimpleGrammar,
  type UnsupportedGrammar,
} from './grammar-parse';
export {
  isDtmfSequence,
  matchChoices,
  matchGrammar,
  nlsml,
  toCallerInput,
  type CallerInput,
  type GrammarIgnored,
  type GrammarMatch,
  type GrammarNoMatch,
  type GrammarUnsupported,
  type InputVia,
  type MatchOptions,
  type MatchOutcome,
} from './grammar-match';
