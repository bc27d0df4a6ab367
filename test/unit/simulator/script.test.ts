/** Tests for the caller script: answers, CLI flags, the JSON form and the answer queue. */
import {
  DEFAULT_SCRIPT,
  InputQueue,
  MAX_DURATION_SECONDS,
  type ScriptError,
  isScriptError,
  parseInput,
  parseScriptArgs,
  scriptFromJson,
} from '../../../src/simulator/script';

function scriptError(run: () => unknown): ScriptError {
  try {
    run();
  } catch (error) {
    if (isScriptError(error)) return error;
    throw error;
  }
  throw new Error('expected a ScriptError');
}

describe('parseInput', () => {
  it('when given digits or words, then they are answers (kind decided later by the channel)', () => {
    expect(parseInput('1')).toEqual({ kind: 'answer', text: '1' });
    expect(parseInput(' 1234# ')).toEqual({ kind: 'answer', text: '1234#' });
    expect(parseInput('yes')).toEqual({ kind: 'answer', text: 'yes' });
  });

  it('when given timeout, hangup or nomatch in any case, then they are special answers', () => {
    expect(parseInput('timeout')).toEqual({ kind: 'timeout' });
    expect(parseInput('HANGUP')).toEqual({ kind: 'hangup' });
    expect(parseInput('NoMatch')).toEqual({ kind: 'nomatch' });
  });

  it('when given a dtmf: or speech: prefix, then the way of answering is forced', () => {
    expect(parseInput('speech:timeout')).toEqual({
      kind: 'answer',
      text: 'timeout',
      via: 'speech',
    });
    expect(parseInput('speech: 1 2 3 4')).toEqual({
      kind: 'answer',
      text: '1 2 3 4',
      via: 'speech',
    });
    expect(parseInput('DTMF:12*#')).toEqual({ kind: 'answer', text: '12*#', via: 'dtmf' });
  });

  it('when an answer is empty or dtmf: has letters, then the error names the flag and the value', () => {
    expect(scriptError(() => parseInput('  ')).message).toMatch(/^--input: .*empty/);
    expect(scriptError(() => parseInput('dtmf:12a')).message).toMatch(/"dtmf:12a".*0-9/);
    expect(scriptError(() => parseInput('speech:')).message).toMatch(/nothing after/);
  });
});

describe('parseScriptArgs', () => {
  it('when no script flags are given, then the defaults apply and other arguments pass through', () => {
    expect(parseScriptArgs(['--url', 'http://x', '--json'])).toEqual({
      script: DEFAULT_SCRIPT,
      rest: ['--url', 'http://x', '--json'],
    });
  });

  it('when inputs and outcomes are given, then they are collected in order', () => {
    const { script, rest } = parseScriptArgs([
      '--input',
      '1',
      '--app',
      'demo',
      '--input=timeout',
      '--input',
      'yes',
      '--call-outcome',
      'busy',
      '--user-type',
      'machine',
      '--transfer-outcome=No-Answer',
      '--transfer-duration',
      '45',
      '--conference-duration',
      '0',
      '--record-outcome',
      'hangup',
      '--record-duration',
      '12',
    ]);
    expect(rest).toEqual(['--app', 'demo']);
    expect(script).toEqual({
      inputs: [{ kind: 'answer', text: '1' }, { kind: 'timeout' }, { kind: 'answer', text: 'yes' }],
      callOutcome: 'busy',
      userType: 'MACHINE',
      transferOutcome: 'no-answer',
      transferDuration: 45,
      conferenceDuration: 0,
      recordOutcome: 'hangup',
      recordDuration: 12,
    });
  });

  it('when -- appears, then everything after it is left alone', () => {
    expect(parseScriptArgs(['--input', '1', '--', '--input', '2'])).toEqual({
      script: { ...DEFAULT_SCRIPT, inputs: [{ kind: 'answer', text: '1' }] },
      rest: ['--', '--input', '2'],
    });
  });

  it('when a value is bad or missing, then the error names the flag, the value and the choices', () => {
    expect(scriptError(() => parseScriptArgs(['--call-outcome', 'maybe'])).message).toBe(
      '--call-outcome: expected one of answer, busy, no-answer, got "maybe"',
    );
    expect(scriptError(() => parseScriptArgs(['--user-type', 'robot'])).source).toBe('--user-type');
    expect(scriptError(() => parseScriptArgs(['--transfer-duration', '1.5'])).message).toMatch(
      /whole number of seconds, got "1.5"/,
    );
    expect(scriptError(() => parseScriptArgs(['--record-duration', '-3'])).message).toMatch(
      /whole number/,
    );
    expect(
      scriptError(() =>
        parseScriptArgs(['--conference-duration', String(MAX_DURATION_SECONDS + 1)]),
      ).message,
    ).toMatch(/longer than a Tropo session/);
    expect(scriptError(() => parseScriptArgs(['--input'])).message).toBe('--input: needs a value');
  });

  it('when parsing, then the default script is never modified', () => {
    parseScriptArgs(['--input', '1', '--call-outcome', 'busy']);
    expect(DEFAULT_SCRIPT.inputs).toEqual([]);
    expect(DEFAULT_SCRIPT.callOutcome).toBe('answer');
  });
});

describe('scriptFromJson', () => {
  it('when given a JSON script, then it is read like the flags', () => {
    expect(
      scriptFromJson({
        inputs: ['1234', 'hangup'],
        callOutcome: 'no-answer',
        transferDuration: 10,
        recordDuration: '7',
      }),
    ).toEqual({
      ...DEFAULT_SCRIPT,
      inputs: [{ kind: 'answer', text: '1234' }, { kind: 'hangup' }],
      callOutcome: 'no-answer',
      transferDuration: 10,
      recordDuration: 7,
    });
  });

  it('when a key is unknown or a value has the wrong type, then the error points at it', () => {
    expect(scriptError(() => scriptFromJson({ input: ['1'] })).source).toBe('script');
    expect(scriptError(() => scriptFromJson({ inputs: [1] })).source).toBe('script.inputs.0');
    expect(scriptError(() => scriptFromJson({ inputs: ['ok', ''] })).source).toBe(
      'script.inputs.1',
    );
    expect(scriptError(() => scriptFromJson({ recordOutcome: 'lost' })).source).toBe(
      'script.recordOutcome',
    );
    expect(scriptError(() => scriptFromJson('nope')).source).toBe('script');
  });
});

describe('InputQueue', () => {
  it('when answers are taken, then they come in order and silence follows the last one', () => {
    const queue = new InputQueue([parseInput('1'), parseInput('hangup')]);
    expect(queue.remaining).toBe(2);
    expect(queue.next()).toEqual({ kind: 'answer', text: '1' });
    expect(queue.next()).toEqual({ kind: 'hangup' });
    expect(queue.exhausted).toBe(true);
    expect(queue.next()).toEqual({ kind: 'timeout' });
    expect(queue.next()).toEqual({ kind: 'timeout' });
    expect(queue.remaining).toBe(0);
  });
});
