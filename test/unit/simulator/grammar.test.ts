/** Tests for the simple-grammar matcher: every grammar form, terminators, modes, confidence, unsupported grammars and fuzzing. */
import fc from 'fast-check';
import {
  type CallerInput,
  type GrammarMatch,
  type MatchOutcome,
  isDtmfSequence,
  matchChoices,
  matchGrammar,
  parseGrammar,
  parseMode,
  toCallerInput,
} from '../../../src/simulator/grammar';
import { vector } from './fixtures';

const dtmf = (text: string): CallerInput => ({ via: 'dtmf', text });
const speech = (text: string, confidence?: number): CallerInput =>
  confidence === undefined ? { via: 'speech', text } : { via: 'speech', text, confidence };
const sms = (text: string): CallerInput => ({ via: 'text', text });

function expectMatch(outcome: MatchOutcome): GrammarMatch {
  if (!outcome.matched) throw new Error(`expected a match, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('parseGrammar', () => {
  it('when given digit forms, then reads their ranges', () => {
    const cases: [string, number, number | null][] = [
      ['[5 DIGITS]', 5, 5],
      ['[1 DIGIT]', 1, 1],
      ['[4-5 DIGITS]', 4, 5],
      ['[ 10 - 20 digits ]', 10, 20],
      ['[DIGIT]', 1, 1],
      ['[DIGITS]', 1, null],
    ];
    for (const [source, min, max] of cases) {
      const grammar = parseGrammar(source);
      expect(grammar).toMatchObject({
        supported: true,
        alternatives: [{ kind: 'digits', min, max }],
      });
    }
  });

  it('when given a value(synonyms) list, then keeps values and synonyms as written', () => {
    expect(parseGrammar('red(red,1), blue( blue , 2 )')).toMatchObject({
      supported: true,
      alternatives: [
        { kind: 'choice', value: 'red', synonyms: ['red', '1'] },
        { kind: 'choice', value: 'blue', synonyms: ['blue', '2'] },
      ],
    });
  });

  it('when given stray commas, then ignores the empty items', () => {
    const grammar = parseGrammar('1,,2,');
    expect(grammar.supported && grammar.alternatives).toHaveLength(2);
  });

  it('when given [ANY], then flags it as text-only', () => {
    expect(parseGrammar('[ANY]')).toMatchObject({ supported: true, usesAny: true });
    expect(parseGrammar('[5 DIGITS]')).toMatchObject({ supported: true, usesAny: false });
  });

  it('when given the same text twice, then derives the same grammar hash', () => {
    const a = parseGrammar('yes, no');
    const b = parseGrammar('yes, no');
    const c = parseGrammar('yes, no, maybe');
    expect(a.supported && a.hash).toMatch(/^[0-9a-f]{8}$/);
    expect(a.supported && a.hash).toBe(b.supported && b.hash);
    expect(a.supported && a.hash).not.toBe(c.supported && c.hash);
  });

  it.each([
    ['http://example.com/grammar.grxml', /URL/],
    ['https://example.com/menu.jsgf', /URL/],
    ['<grammar xmlns="http://www.w3.org/2001/06/grammar"><rule/></grammar>', /XML/],
    ['#JSGF V1.0; grammar menu;', /JSGF/],
    ['menu.grxml', /files/],
    ['[5 NUMBERS]', /unsupported simple grammar/],
    ['[DATE]', /unsupported simple grammar/],
    ['[3 ANY]', /no count/],
    ['[0 DIGITS]', /at least 1/],
    ['[5-3 DIGITS]', /ends before it starts/],
    ['red(red, 1', /unbalanced/],
    ['red(a(b))', /cannot read/],
    ['red(1)x', /cannot read/],
    ['a]b[', /unbalanced/],
    ['', /empty/],
    ['   ', /empty/],
    [',,', /no choices/],
  ])('when given %j, then reports it unsupported (%s) instead of throwing', (source, reason) => {
    const grammar = parseGrammar(source);
    expect(grammar.supported).toBe(false);
    expect(!grammar.supported && grammar.reason).toMatch(reason);
  });

  it('when given something that is not a string, then reports it unsupported', () => {
    expect(parseGrammar(undefined)).toMatchObject({ supported: false });
    expect(parseGrammar(42)).toMatchObject({ supported: false });
  });
});

describe('matchGrammar: digits', () => {
  it('when four keys answer [4 DIGITS], then reports the docs trace fields for 1980', () => {
    const match = expectMatch(matchChoices('[4 DIGITS]', dtmf('1980')));
    expect(match).toMatchObject({
      via: 'dtmf',
      value: '1980',
      interpretation: '1980',
      concept: '1980',
      utterance: '1 9 8 0',
      confidence: 100,
    });
  });

  it('when the count is wrong, then it is a NOMATCH', () => {
    expect(matchChoices('[5 DIGITS]', dtmf('1234'))).toMatchObject({
      matched: false,
      reason: 'nomatch',
      disposition: 'NOMATCH',
      utterance: '1 2 3 4',
    });
    expect(matchChoices('[5 DIGITS]', dtmf('123456'))).toMatchObject({ reason: 'nomatch' });
  });

  it('when a range is given, then both ends match and outside does not', () => {
    const grammar = parseGrammar('[4-5 DIGITS]');
    expect(matchGrammar(grammar, dtmf('1234')).matched).toBe(true);
    expect(matchGrammar(grammar, dtmf('12345')).matched).toBe(true);
    expect(matchGrammar(grammar, dtmf('123')).matched).toBe(false);
    expect(matchGrammar(grammar, dtmf('123456')).matched).toBe(false);
  });

  it('when [DIGITS] has no count, then any number of digits matches', () => {
    const grammar = parseGrammar('[DIGITS]');
    expect(expectMatch(matchGrammar(grammar, dtmf('7'))).value).toBe('7');
    expect(expectMatch(matchGrammar(grammar, dtmf('0123456789'))).value).toBe('0123456789');
  });

  it('when [1 DIGIT] is asked, then exactly one key matches', () => {
    expect(expectMatch(matchChoices('[1 DIGIT]', dtmf('5'))).value).toBe('5');
    expect(matchChoices('[1 DIGIT]', dtmf('55')).matched).toBe(false);
  });

  it('when digits are entered with spaces, then the spaces are ignored', () => {
    const match = expectMatch(matchChoices('[4 DIGITS]', dtmf(' 1 2 3  4 ')));
    expect(match.value).toBe('1234');
    expect(match.utterance).toBe('1 2 3 4');
  });

  it('when * is pressed in a digits grammar, then it is a NOMATCH', () => {
    expect(matchChoices('[4 DIGITS]', dtmf('12*4')).matched).toBe(false);
  });

  it('when digits are spoken as words or numerals, then they are recognised as digits', () => {
    const words = expectMatch(matchChoices('[4 DIGITS]', speech('one two three Four')));
    expect(words).toMatchObject({ via: 'speech', value: '1234', utterance: 'one two three Four' });
    expect(expectMatch(matchChoices('[4 DIGITS]', speech('1 2 3 4'))).value).toBe('1234');
    expect(expectMatch(matchChoices('[3 DIGITS]', speech('oh nine eight'))).value).toBe('098');
    expect(matchChoices('[4 DIGITS]', speech('one two')).matched).toBe(false);
    expect(matchChoices('[4 DIGITS]', speech('one two buckle my shoe')).matched).toBe(false);
  });

  it('when digits arrive by text, then the text is matched and reported as typed', () => {
    expect(expectMatch(matchChoices('[5 DIGITS]', sms('12345')))).toMatchObject({
      via: 'text',
      value: '12345',
      utterance: '12345',
    });
  });
});

describe('matchGrammar: terminator', () => {
  it('when 1234# is pressed with terminator #, then the input is 1234', () => {
    const match = expectMatch(matchChoices('[4 DIGITS]', dtmf('1234#'), { terminator: '#' }));
    expect(match.value).toBe('1234');
    expect(match.utterance).toBe('1 2 3 4');
  });

  it('when no terminator is given, then # ends the input (the documented default)', () => {
    expect(expectMatch(matchChoices('[4-5 DIGITS]', dtmf('1234#'))).value).toBe('1234');
  });

  it('when the terminator is *, then * ends the input and # is an ordinary key', () => {
    expect(expectMatch(matchChoices('[4 DIGITS]', dtmf('1234*'), { terminator: '*' })).value).toBe(
      '1234',
    );
    expect(matchChoices('[4 DIGITS]', dtmf('1234#'), { terminator: '*' }).matched).toBe(false);
    expect(expectMatch(matchChoices('1#, 2#', dtmf('1#'), { terminator: '*' })).value).toBe('1#');
  });

  it('when keys follow the terminator, then they are discarded', () => {
    expect(expectMatch(matchChoices('[2 DIGITS]', dtmf('12#34'))).value).toBe('12');
  });

  it('when only the terminator is pressed, then it is a NOMATCH', () => {
    expect(matchChoices('[DIGITS]', dtmf('#'))).toMatchObject({
      matched: false,
      reason: 'nomatch',
    });
  });
});

describe('matchGrammar: lists and synonyms', () => {
  it('when a comma list of digits is answered by a key, then that key is the value', () => {
    const match = expectMatch(matchChoices('1,2,3', dtmf('2')));
    expect(match).toMatchObject({ value: '2', interpretation: '2', concept: '2', utterance: '2' });
    expect(matchChoices('1,2,3', dtmf('4')).matched).toBe(false);
  });

  it('when a word list is answered by speech in any case, then the listed word is the value', () => {
    expect(expectMatch(matchChoices('yes, no', speech('YES')))).toMatchObject({
      value: 'yes',
      interpretation: 'yes',
      utterance: 'YES',
    });
    expect(expectMatch(matchChoices('yes, no', speech('No.'))).value).toBe('no');
    expect(matchChoices('yes, no', speech('maybe')).matched).toBe(false);
  });

  it('when red(red,1) is answered by key 1 or the word red, then the value is red', () => {
    const grammar = parseGrammar('red(red,1), blue(blue,2)');
    const byKey = expectMatch(matchGrammar(grammar, dtmf('1')));
    expect(byKey).toMatchObject({ value: 'red', concept: 'red', interpretation: '1' });
    expect(byKey.xml).toContain('<input mode="dtmf">dtmf-1</input>');
    const byWord = expectMatch(matchGrammar(grammar, speech('Red')));
    expect(byWord).toMatchObject({ value: 'red', interpretation: 'red', utterance: 'Red' });
    expect(byWord.xml).toContain('<input mode="speech">Red</input>');
    expect(expectMatch(matchGrammar(grammar, dtmf('2'))).value).toBe('blue');
    expect(matchGrammar(grammar, dtmf('3')).matched).toBe(false);
  });

  it('when only a value (not a synonym) is said, then it does not match, as in the docs directory', () => {
    const grammar = parseGrammar(
      'department(support, engineering, sales), person(jose, jason, adam)',
    );
    expect(expectMatch(matchGrammar(grammar, speech('Jason')))).toMatchObject({
      value: 'person',
      interpretation: 'jason',
    });
    expect(matchGrammar(grammar, speech('department')).matched).toBe(false);
  });

  it('when a synonym has several words, then extra spaces and case do not matter', () => {
    expect(
      expectMatch(matchChoices('new york(new york, big apple), boston', speech(' Big   Apple ')))
        .value,
    ).toBe('new york');
  });

  it('when words are texted, then they match like speech', () => {
    expect(expectMatch(matchChoices('yes(yes, y), no(no, n)', sms('Y'))).value).toBe('yes');
  });

  it('when a list mixes digits and words, then both kinds of alternative work', () => {
    const grammar = parseGrammar('[4 DIGITS], cancel');
    expect(expectMatch(matchGrammar(grammar, dtmf('1234'))).value).toBe('1234');
    expect(expectMatch(matchGrammar(grammar, speech('Cancel'))).value).toBe('cancel');
  });

  it('when the Python sample answers yes(1, yes) with key 1, then the action fields match the capture', () => {
    const captured = (
      JSON.parse(vector('tropo-result', 'python library sample output').json) as {
        result: { actions: Record<string, unknown>[] };
      }
    ).result.actions[0];
    const match = expectMatch(matchChoices('yes(1, yes), no(2, no)', dtmf('1')));
    expect({
      confidence: match.confidence,
      interpretation: match.interpretation,
      utterance: match.utterance,
      concept: match.concept,
      value: match.value,
    }).toEqual({
      confidence: captured?.confidence,
      interpretation: captured?.interpretation,
      utterance: captured?.utterance,
      concept: captured?.concept,
      value: captured?.value,
    });
    const grammarRef = /grammar="([^"]+)"/.exec(String(captured?.xml))?.[1] ?? '';
    const ours = /grammar="([^"]+)"/.exec(match.xml)?.[1] ?? '';
    expect(match.xml.split(ours).join(grammarRef)).toBe(captured?.xml);
  });
});

describe('matchGrammar: [ANY]', () => {
  it('when anything is texted, then it is the value', () => {
    expect(expectMatch(matchChoices('[ANY]', sms('Running late, 10 min')))).toMatchObject({
      value: 'Running late, 10 min',
      interpretation: 'Running late, 10 min',
      utterance: 'Running late, 10 min',
      confidence: 100,
    });
  });

  it('when used on voice, then the matcher still matches (the engine decides about voice)', () => {
    expect(matchChoices('[ANY]', speech('hello')).matched).toBe(true);
  });

  it('when the input has XML special characters, then the xml escapes them', () => {
    expect(expectMatch(matchChoices('[ANY]', sms('a < b & "c"'))).xml).toContain(
      '<input mode="speech">a &lt; b &amp; &quot;c&quot;</input>',
    );
  });
});

describe('matchGrammar: mode', () => {
  it('when mode is dtmf and the caller speaks, then the input is ignored and times out', () => {
    expect(matchChoices('yes, no', speech('yes'), { mode: 'dtmf' })).toMatchObject({
      matched: false,
      reason: 'ignored',
      disposition: 'TIMEOUT',
    });
  });

  it('when mode is speech and the caller presses keys, then the input is ignored and times out', () => {
    expect(matchChoices('1,2', dtmf('1'), { mode: 'speech' })).toMatchObject({
      reason: 'ignored',
      disposition: 'TIMEOUT',
    });
  });

  it('when mode is DTMF in upper case or the old keypad, then it means dtmf', () => {
    expect(parseMode('DTMF')).toBe('dtmf');
    expect(parseMode('keypad')).toBe('dtmf');
    expect(parseMode(' Speech ')).toBe('speech');
    expect(parseMode('bogus')).toBe('any');
    expect(parseMode(undefined)).toBe('any');
    expect(matchChoices('1,2', dtmf('1'), { mode: 'DTMF' }).matched).toBe(true);
  });

  it('when mode is any, then both keys and speech are heard', () => {
    expect(matchChoices('yes(yes, 1)', dtmf('1'), { mode: 'any' }).matched).toBe(true);
    expect(matchChoices('yes(yes, 1)', speech('yes'), { mode: 'any' }).matched).toBe(true);
  });

  it('when the channel is TEXT, then mode does not apply', () => {
    expect(matchChoices('yes, no', sms('yes'), { mode: 'dtmf' }).matched).toBe(true);
  });
});

describe('matchGrammar: confidence', () => {
  it('when speech confidence is below minConfidence (default 30), then it is a NOMATCH', () => {
    expect(matchChoices('yes, no', speech('yes', 20))).toMatchObject({
      reason: 'nomatch',
      disposition: 'NOMATCH',
    });
    expect(
      expectMatch(matchChoices('yes, no', speech('yes', 20), { minConfidence: 10 })).confidence,
    ).toBe(20);
  });

  it('when the input is DTMF, then confidence is always 100', () => {
    const input: CallerInput = { via: 'dtmf', text: '1', confidence: 5 };
    expect(expectMatch(matchChoices('1,2', input, { minConfidence: 90 })).confidence).toBe(100);
  });
});

describe('matchGrammar: xml and unsupported grammars', () => {
  it('when 1234 answers [4 DIGITS], then the xml has the layout of the PHP capture', () => {
    const captured = (
      JSON.parse(vector('tropo-result', 'PHP ResultTest fixture: result after two asks').json) as {
        result: { actions: { xml: string }[] };
      }
    ).result.actions[0]?.xml;
    const grammar = parseGrammar('[4 DIGITS]');
    const match = expectMatch(matchGrammar(grammar, dtmf('1234'), { grammarIndex: 0 }));
    const hash = grammar.supported ? grammar.hash : '';
    expect(match.xml).toContain(`grammar="0@${hash}.vxmlgrammar"`);
    expect(match.xml.split(hash).join('82ab4c9c')).toBe(captured);
  });

  it('when the grammar is unsupported, then matching says so without throwing', () => {
    expect(matchChoices('http://example.com/g.grxml', dtmf('1'))).toMatchObject({
      matched: false,
      reason: 'unsupported',
      message: expect.stringContaining('unsupported grammar'),
    });
  });

  it('when fed random grammars, inputs and options, then it never throws', () => {
    const grammarText = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[[\]()0-9a-z ,#*-]{0,30}$/),
      fc.constantFrom('[5 DIGITS]', '[ANY]', 'red(red,1), blue(blue,2)', '[4-5 DIGITS], cancel'),
    );
    const input = fc.record({
      via: fc.constantFrom('dtmf' as const, 'speech' as const, 'text' as const),
      text: fc.string(),
      confidence: fc.option(fc.double(), { nil: undefined }),
    });
    const options = fc.record({
      mode: fc.option(fc.string(), { nil: undefined }),
      terminator: fc.option(fc.string(), { nil: undefined }),
      minConfidence: fc.option(fc.double(), { nil: undefined }),
    });
    fc.assert(
      fc.property(grammarText, input, options, (g, i, o) => {
        const outcome = matchGrammar(parseGrammar(g), i, o);
        expect(typeof outcome.matched).toBe('boolean');
      }),
      { seed: 20240601, numRuns: 2000 },
    );
  });

  it('when any digit string fits the range, then it matches with the digits as value', () => {
    const scenario = fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 6 }))
      .chain(([min, extra]) =>
        fc.tuple(
          fc.constant(min),
          fc.constant(min + extra),
          fc.stringMatching(new RegExp(`^[0-9]{${min},${min + extra}}$`)),
        ),
      );
    fc.assert(
      fc.property(scenario, ([min, max, digits]) => {
        const match = expectMatch(matchChoices(`[${min}-${max} DIGITS]`, dtmf(`${digits}#`)));
        expect(match.value).toBe(digits);
        expect(match.utterance).toBe(digits.split('').join(' '));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('toCallerInput', () => {
  it('when on a voice call, then keypad characters are DTMF and words are speech', () => {
    expect(toCallerInput('1234#', 'VOICE')).toEqual({ via: 'dtmf', text: '1234#' });
    expect(toCallerInput('1 2 3', 'VOICE')).toEqual({ via: 'dtmf', text: '1 2 3' });
    expect(toCallerInput('yes', 'VOICE')).toEqual({ via: 'speech', text: 'yes' });
    expect(toCallerInput('1234', 'VOICE', 'speech', 80)).toEqual({
      via: 'speech',
      text: '1234',
      confidence: 80,
    });
  });

  it('when on the TEXT channel, then everything is text', () => {
    expect(toCallerInput('1234', 'TEXT')).toEqual({ via: 'text', text: '1234' });
  });

  it('when checking keypad sequences, then only 0-9 * # and spaces qualify', () => {
    expect(isDtmfSequence('12*#')).toBe(true);
    expect(isDtmfSequence(' 1 2 ')).toBe(true);
    expect(isDtmfSequence('')).toBe(false);
    expect(isDtmfSequence('12a')).toBe(false);
  });
});
