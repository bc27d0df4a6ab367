/** Reading result payloads and transcription callbacks, and the helpers that look into them. */
import { findAction, hasDisposition, parseResult, type Result } from '../../../src/tropo';

function parsed(body: unknown): { result: Result; warnings: string[] } {
  const outcome = parseResult(body);
  if (!outcome.ok) throw new Error(`expected a result, got ${JSON.stringify(outcome.issues)}`);
  return { result: outcome.value, warnings: outcome.issues.map((i) => `${i.path}: ${i.message}`) };
}

const base = {
  sessionId: 's',
  callId: 'c',
  state: 'ANSWERED',
  sessionDuration: 5,
  sequence: 1,
  complete: true,
  error: null,
};

describe('parseResult', () => {
  it('when one verb reported (actions is an object), then actions is a one-item list', () => {
    const { result, warnings } = parsed({
      result: {
        ...base,
        actions: {
          name: 'year',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '1980',
          utterance: '1 9 8 0',
          value: '1980',
        },
      },
    });
    expect(warnings).toEqual([]);
    expect(result).toEqual({
      kind: 'result',
      ...base,
      actions: [
        {
          name: 'year',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '1980',
          utterance: '1 9 8 0',
          value: '1980',
        },
      ],
    });
  });

  it('when there are no actions, then actions is an empty list', () => {
    expect(parsed({ result: base }).result.actions).toEqual([]);
    expect(parsed({ result: { ...base, actions: null } }).result.actions).toEqual([]);
  });

  it('when a 2010 payload uses callState and lower-case dispositions, then they are normalised', () => {
    const { result } = parsed({
      result: {
        sessionId: 's',
        callState: 'answered',
        actions: [{ name: 'zip', disposition: 'nomatch' }],
      },
    });
    expect(result.state).toBe('ANSWERED');
    expect(result.actions[0]?.disposition).toBe('NOMATCH');
    expect(result).toMatchObject({
      callId: null,
      sessionDuration: null,
      sequence: null,
      complete: true,
      error: null,
    });
  });

  it('when a transfer result carries calledid, userType and unknown fields, then all are kept', () => {
    const { result } = parsed({
      result: {
        ...base,
        calledid: '9992801029',
        userType: 'human',
        properties: [{ key: 'k', value: 'v' }],
        actions: {
          name: 'foo',
          duration: 149,
          connectedDuration: 145,
          disposition: 'SUCCESS',
          userType: 'machine',
          extra: { a: 1 },
        },
      },
    });
    expect(result.calledid).toBe('9992801029');
    expect(result.userType).toBe('HUMAN');
    expect(result.actions[0]).toEqual({
      name: 'foo',
      duration: 149,
      connectedDuration: 145,
      disposition: 'SUCCESS',
      userType: 'MACHINE',
      extra: { a: 1 },
    });
  });

  it('when action fields come as other types, then numbers and strings are coerced or dropped with a warning', () => {
    const { result, warnings } = parsed({
      result: {
        ...base,
        actions: [{ name: 'a', confidence: '87', value: 1234, attempts: 'twice' }, 'junk'],
      },
    });
    expect(result.actions).toEqual([{ name: 'a', confidence: 87, value: '1234' }]);
    expect(warnings).toEqual([
      'result.actions[0].attempts: expected a number; got "twice" (ignored)',
      'result.actions[1]: expected an action object; got "junk" (ignored)',
    ]);
  });

  it('when the state is missing, then it is empty with a warning', () => {
    const { result, warnings } = parsed({ result: { sessionId: 's' } });
    expect(result.state).toBe('');
    expect(warnings).toEqual(['result.state: missing field "state"']);
  });

  it('when reading a transcription callback, then it is a transcription result', () => {
    const { result } = parsed({
      result: { transcription: 'Test test', guid: '3a045980-edef', identifier: null },
    });
    expect(result).toEqual({
      kind: 'transcription',
      sessionId: '',
      callId: null,
      state: '',
      sessionDuration: null,
      sequence: null,
      complete: true,
      error: null,
      actions: [],
      transcription: { text: 'Test test', guid: '3a045980-edef', identifier: null },
    });
  });

  it.each([
    [
      'the body is an array',
      [],
      '',
      /expected an object like \{"result":\{…\}\}; got an empty array/,
    ],
    ['the body is a session', { session: { id: 'x' } }, 'result', /this is a session payload/],
    ['result is a string', { result: 'ok' }, 'result', /expected a "result" object; got "ok"/],
    [
      'there is no sessionId',
      { result: { state: 'ANSWERED' } },
      'result.sessionId',
      /missing required field "sessionId"/,
    ],
    [
      'sessionId is a number',
      { result: { sessionId: 12 } },
      'result.sessionId',
      /expected a non-empty string; got 12/,
    ],
    [
      'a transcription has no text',
      { result: { transcription: null, guid: 'g' } },
      'result.transcription',
      /expected the transcription text; got null/,
    ],
  ])('when %s, then parsing fails with a clear issue', (_what, body, path, message) => {
    const outcome = parseResult(body);
    expect(outcome.ok).toBe(false);
    expect(outcome.issues).toHaveLength(1);
    expect(outcome.issues[0]).toMatchObject({ path, severity: 'error' });
    expect(outcome.issues[0]?.message).toMatch(message);
  });
});

describe('findAction and hasDisposition', () => {
  const { result } = parsed({
    result: {
      ...base,
      actions: [
        { name: 'account', disposition: 'SUCCESS', value: '12345' },
        { name: 'pin', disposition: 'timeout' },
      ],
    },
  });

  it('when looking an action up by name, then the first with that name is found', () => {
    expect(findAction(result, 'account')?.value).toBe('12345');
    expect(findAction(result, 'nothing')).toBeUndefined();
  });

  it('when comparing dispositions, then case does not matter and a missing action never matches', () => {
    expect(hasDisposition(findAction(result, 'account'), 'success')).toBe(true);
    expect(hasDisposition(findAction(result, 'pin'), 'TIMEOUT')).toBe(true);
    expect(hasDisposition(findAction(result, 'pin'), 'SUCCESS')).toBe(false);
    expect(hasDisposition(undefined, 'SUCCESS')).toBe(false);
  });
});
