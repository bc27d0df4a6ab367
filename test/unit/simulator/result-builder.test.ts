/** Tests for the result builder, rebuilt against every stored tropo-result capture plus the shape rules of §7. */
import {
  type ActionRecord,
  type ResultInput,
  ResultSequence,
  askSuccess,
  buildResult,
  wireAction,
} from '../../../src/simulator/result-builder';
import { manualClock } from '../../../src/simulator/ids';
import { matchChoices } from '../../../src/simulator/grammar';
import { vector, vectorsOfKind } from './fixtures';

interface FixtureResult {
  result: Record<string, unknown> & { actions?: unknown };
}

function fixture(fragment: string): FixtureResult {
  return JSON.parse(vector('tropo-result', fragment).json) as FixtureResult;
}

/** The xml string of the n-th action of a fixture (opaque recogniser output, copied as data). */
function xmlOf(f: FixtureResult, index: number): string {
  const actions = f.result.actions as { xml: string }[];
  return actions[index]?.xml ?? '';
}

const php2Asks = fixture('PHP ResultTest fixture: result after two asks');
const python2Asks = fixture('python library sample output');

/** For every stored result capture: the data the engine would have collected, written out by hand. */
const cases: { fragment: string; input: ResultInput }[] = [
  {
    fragment: 'PHP ResultTest fixture: result after a call/transfer',
    input: {
      sessionId: '26a5aa37ff9d14d11990a48865abb5d2',
      callId: 'b11948c7073e815a768fd3f393cc92a6',
      state: 'ANSWERED',
      sessionDuration: 158,
      sequence: 1,
      calledid: '9992801029',
      actions: [
        {
          verb: 'transfer',
          name: 'foo',
          duration: 149,
          connectedDuration: 145,
          disposition: 'SUCCESS',
          timestamp: '2017-06-23T02:45:22.849Z',
          calledid: 'pengxli',
          userType: 'HUMAN',
        },
      ],
    },
  },
  {
    fragment: 'PHP ResultTest fixture: result after two asks',
    input: {
      sessionId: '349e753764123e3b90245162a0f7758a',
      callId: '925f666b73ea1e41211d624489deea17',
      state: 'ANSWERED',
      sessionDuration: 13,
      sequence: 1,
      error: null,
      calledid: '9992801029',
      actions: [0, 1].map((i): ActionRecord => ({
        verb: 'ask',
        name: 'foo',
        attempts: 1,
        disposition: 'SUCCESS',
        confidence: 100,
        interpretation: '1234',
        utterance: '1234',
        value: '1234',
        xml: xmlOf(php2Asks, i),
      })),
    },
  },
  {
    fragment: 'single action object (ask named zip)',
    input: {
      sessionId: 'CCFD9C86-1DD1-11B2-B76D-B9B253E4B7FB@161.253.55.20',
      callId: null,
      state: 'ANSWERED',
      sessionDuration: 2,
      sequence: 1,
      actions: [
        {
          verb: 'ask',
          name: 'zip',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '12345',
          utterance: '1 2 3 4 5',
        },
      ],
    },
  },
  {
    fragment: 'actions array (two asks with concept)',
    input: {
      sessionId: 'CCFD9C86-1DD1-11B2-B76D-B9B253E4B7FB@161.253.55.20',
      callId: null,
      state: 'ANSWERED',
      sessionDuration: 2,
      sequence: 1,
      actions: [
        {
          verb: 'ask',
          name: 'account_number',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '12345',
          utterance: '1 2 3 4 5',
          concept: '12345',
        },
        {
          verb: 'ask',
          name: 'pin',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '9876',
          utterance: '9 8 7 6',
          concept: '9876',
        },
      ],
    },
  },
  {
    fragment: 'calledid and an actions array of two DTMF asks',
    input: {
      sessionId: 'c377075800c4bad1031ba7eca97641c1',
      callId: '15c1e1abe490752831f98ee6c6ea2b2f',
      state: 'ANSWERED',
      sessionDuration: 10,
      sequence: 1,
      calledid: '9999452355',
      actions: [
        {
          verb: 'ask',
          name: 'one',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '1',
          utterance: '1',
          value: '1',
        },
        {
          verb: 'ask',
          name: 'two',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '12',
          utterance: '12',
          value: '12',
        },
      ],
    },
  },
  {
    fragment: 'Result with no actions key',
    input: {
      sessionId: 'f1176436f4fe1de30fef3c19d4a1995f',
      callId: 'e244f37c086e62cfe02cd4781cbe9778',
      state: 'ANSWERED',
      sessionDuration: 3,
      sequence: 1,
      actions: [],
    },
  },
  {
    fragment: 'hung up during a conference',
    input: {
      sessionId: 'ab2ca59771a2f330d088136c1003fdc3',
      callId: '30b550c16376c45659c5d15c20f6616c',
      state: 'DISCONNECTED',
      sessionDuration: 68,
      sequence: 2,
      actions: [
        {
          verb: 'conference',
          name: 'conference-2750a4f1-6e27-4396-8538-807f3af313c6',
          duration: 48,
          disposition: 'HANGUP',
        },
      ],
    },
  },
  {
    fragment: 'python library sample output',
    input: {
      sessionId: 'd8d42bc7260e88983e72b94b2c5b8a28',
      callId: 'b900196da92c20a4d08423dd180e02d6',
      state: 'ANSWERED',
      sessionDuration: 36,
      sequence: 1,
      calledid: '9994806398',
      actions: [
        {
          verb: 'ask',
          name: 'directory',
          attempts: 3,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '1',
          utterance: '1',
          concept: 'yes',
          value: 'yes',
          xml: xmlOf(python2Asks, 0),
        },
        {
          verb: 'ask',
          name: 'color',
          attempts: 3,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '2',
          utterance: '2',
          concept: 'blue',
          value: 'blue',
          xml: xmlOf(python2Asks, 1),
        },
      ],
    },
  },
  {
    fragment: 'Result after an ask named year',
    input: {
      sessionId: 'af02debeca9c4f6f6f98d41a82591428',
      callId: 'edad88ff110a8b5ef6a1466aa332ace8',
      state: 'ANSWERED',
      sessionDuration: 5,
      sequence: 1,
      actions: [
        {
          verb: 'ask',
          name: 'year',
          attempts: 1,
          disposition: 'SUCCESS',
          confidence: 100,
          interpretation: '1980',
          utterance: '1 9 8 0',
          value: '1980',
        },
      ],
    },
  },
];

describe('buildResult against the stored result captures', () => {
  it('when the vectors file is read, then every tropo-result capture has a case here', () => {
    expect(cases).toHaveLength(vectorsOfKind('tropo-result').length);
  });

  it.each(cases)(
    'when rebuilding "$fragment", then the JSON equals the capture',
    ({ fragment, input }) => {
      const expected = fixture(fragment);
      const built = buildResult(input) as unknown as FixtureResult;
      // Two 2010 Java fixtures carry no callId; we always send it, explicitly null when unknown.
      if (!('callId' in expected.result)) {
        expect(built.result.callId).toBeNull();
        delete built.result.callId;
      }
      expect(built).toEqual(expected);
      // Same key order as the capture, so transcripts read like Tropo's own log lines.
      expect(Object.keys(built.result)).toEqual(Object.keys(expected.result));
      const keysOf = (actions: unknown): string[][] =>
        [actions ?? []].flat().map((a) => Object.keys(a));
      expect(keysOf(built.result.actions)).toEqual(keysOf(expected.result.actions));
      expect(JSON.parse(JSON.stringify(built))).toEqual(expected);
    },
  );
});

const base: ResultInput = {
  sessionId: 'a'.repeat(32),
  callId: 'b'.repeat(32),
  state: 'ANSWERED',
  sessionDuration: 4,
  sequence: 1,
  actions: [],
};

describe('buildResult shapes', () => {
  it('when one action ran, then actions is an object; when several, an array; when none, absent', () => {
    const say: ActionRecord = { verb: 'say', name: 'hello', disposition: 'SUCCESS' };
    expect(buildResult({ ...base, actions: [say] }).result.actions).toEqual({
      name: 'hello',
      disposition: 'SUCCESS',
    });
    expect(buildResult({ ...base, actions: [say, say] }).result.actions).toEqual([
      { name: 'hello', disposition: 'SUCCESS' },
      { name: 'hello', disposition: 'SUCCESS' },
    ]);
    expect('actions' in buildResult(base).result).toBe(false);
  });

  it('when nothing is known of error, calledid or userType, then error is null and the others are absent', () => {
    const { result } = buildResult(base);
    expect(result.complete).toBe(true);
    expect(result.error).toBeNull();
    expect('calledid' in result).toBe(false);
    expect('userType' in result).toBe(false);
  });

  it('when the error event fired and machine detection ran, then both are reported', () => {
    const { result } = buildResult({ ...base, error: 'app answered 500', userType: 'MACHINE' });
    expect(result.error).toBe('app answered 500');
    expect(result.userType).toBe('MACHINE');
  });

  it('when durations are fractional, then they are whole seconds on the wire', () => {
    const { result } = buildResult({
      ...base,
      sessionDuration: 12.9,
      actions: [
        {
          verb: 'call',
          name: 'out',
          duration: 10.6,
          connectedDuration: 7.2,
          disposition: 'SUCCESS',
          timestamp: '2024-01-01T00:00:00.000Z',
        },
      ],
    });
    expect(result.sessionDuration).toBe(12);
    expect(result.actions).toEqual({
      name: 'out',
      duration: 11,
      connectedDuration: 7,
      disposition: 'SUCCESS',
      timestamp: '2024-01-01T00:00:00.000Z',
    });
  });

  it('when the sequence or a duration is impossible, then it throws a RangeError', () => {
    expect(() => buildResult({ ...base, sequence: 0 })).toThrow(RangeError);
    expect(() => buildResult({ ...base, sessionDuration: Number.NaN })).toThrow(RangeError);
    expect(() =>
      wireAction({ verb: 'conference', duration: Number.POSITIVE_INFINITY, disposition: 'HANGUP' }),
    ).toThrow(RangeError);
  });
});

describe('wireAction per verb', () => {
  it('when an ask failed, then only name, attempts and disposition are reported', () => {
    expect(wireAction({ verb: 'ask', name: 'pin', attempts: 3, disposition: 'NOMATCH' })).toEqual({
      name: 'pin',
      attempts: 3,
      disposition: 'NOMATCH',
    });
  });

  it('when an ask matched, then askSuccess carries every recognition field', () => {
    const match = matchChoices('red(red,1), blue(blue,2)', { via: 'dtmf', text: '2' });
    if (!match.matched) throw new Error('expected a match');
    expect(wireAction(askSuccess('color', 1, match))).toEqual({
      name: 'color',
      attempts: 1,
      disposition: 'SUCCESS',
      confidence: 100,
      interpretation: '2',
      utterance: '2',
      concept: 'blue',
      value: 'blue',
      xml: match.xml,
    });
  });

  it('when a record finished, then upload status, value, duration and url are reported', () => {
    expect(
      wireAction({
        verb: 'record',
        name: 'voicemail',
        attempts: 1,
        disposition: 'SUCCESS',
        uploadStatus: 'success',
        value: 'http://sim.invalid/recordings/1.wav',
        duration: 5.4,
        url: 'http://127.0.0.1/upload',
      }),
    ).toEqual({
      name: 'voicemail',
      attempts: 1,
      disposition: 'SUCCESS',
      uploadStatus: 'success',
      value: 'http://sim.invalid/recordings/1.wav',
      duration: 5,
      url: 'http://127.0.0.1/upload',
    });
  });

  it('when a verb had no name, then the action has no name key', () => {
    expect(wireAction({ verb: 'message', disposition: 'SUCCESS' })).toEqual({
      disposition: 'SUCCESS',
    });
  });
});

describe('ResultSequence', () => {
  it('when results are built one after another, then sequence counts from 1 and duration follows the clock', () => {
    const clock = manualClock(Date.UTC(2024, 0, 1));
    const results = new ResultSequence('c'.repeat(32), clock(), clock);
    clock.advance(5400);
    const first = results.next({ callId: 'd'.repeat(32), state: 'ANSWERED', actions: [] });
    clock.advance(3000);
    const second = results.next({ callId: 'd'.repeat(32), state: 'DISCONNECTED', actions: [] });
    expect(first.result).toMatchObject({
      sessionId: 'c'.repeat(32),
      sequence: 1,
      sessionDuration: 5,
    });
    expect(second.result).toMatchObject({ sequence: 2, sessionDuration: 8, state: 'DISCONNECTED' });
    expect(results.count).toBe(2);
  });

  it('when building fails, then the sequence number is not used up', () => {
    const clock = manualClock(0);
    const results = new ResultSequence('e'.repeat(32), 0, clock);
    expect(() =>
      results.next({
        callId: null,
        state: 'ANSWERED',
        actions: [{ verb: 'conference', duration: Number.NaN, disposition: 'HANGUP' }],
      }),
    ).toThrow(RangeError);
    expect(results.next({ callId: null, state: 'ANSWERED', actions: [] }).result.sequence).toBe(1);
  });
});
