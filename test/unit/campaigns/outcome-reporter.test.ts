import pino from 'pino';
import type { JsonValue, SessionState } from '../../../src/sdk/define-app';
import {
  outcomeReporter,
  REPORT_RETRY_FOR_MS,
  type OutcomeReporter,
} from '../../../src/server/outcomes';

/** A session state over a Map (the interface apps get; the state store has its own tests). */
function mapState(): (id: string) => SessionState {
  const all = new Map<string, Map<string, JsonValue>>();
  return (id) => {
    const of = () => all.get(id) ?? all.set(id, new Map()).get(id)!;
    return {
      get: <T extends JsonValue>(key: string) => Promise.resolve(of().get(key) as T | undefined),
      set: (key, value) => Promise.resolve(void of().set(key, value)),
      delete: (key) =>
        Promise.resolve(void (key === undefined ? all.delete(id) : of().delete(key))),
    };
  };
}

const REF = { campaign: 'c1', reminder: 'r1', attempt: 1 };
const SIGNED = { campaign: 'c1', reminder: 'r1', attempt: '1', campaignRef: 'good' };

function reporter(report: OutcomeReporter['report']): OutcomeReporter {
  return { verify: (p) => (p?.campaignRef === 'good' ? REF : undefined), report };
}

describe('ctx.outcome on the request path', () => {
  const log = pino({ level: 'silent' });
  const logOf = () => log;

  it('when a handler reports after the app deleted its state, then the reference kept beside it still counts', async () => {
    const reports: string[] = [];
    const r = reporter((_ref, outcome) => (reports.push(outcome), Promise.resolve(true)));
    const stateFor = mapState();
    expect(
      await outcomeReporter(r, stateFor, 's1', logOf).start({ ...SIGNED, numberToDial: '+1' }),
    ).toEqual(REF);
    await stateFor('s1').delete();
    await outcomeReporter(r, stateFor, 's1', logOf).outcome('confirmed');
    expect(reports).toEqual(['confirmed']);
  });

  it('when the kept reference was tampered with, or none was kept, then nothing is reported', async () => {
    const reports: string[] = [];
    const r = reporter((_ref, outcome) => (reports.push(outcome), Promise.resolve(true)));
    const stateFor = mapState();
    await stateFor('s2.campaign').set('ref', { ...SIGNED, campaignRef: 'forged' });
    await outcomeReporter(r, stateFor, 's2', logOf).outcome('busy');
    await outcomeReporter(r, stateFor, 's3', logOf).outcome('busy');
    await outcomeReporter(undefined, stateFor, 's3', logOf).outcome('busy');
    expect(reports).toEqual([]);
  });

  it('when recording is slow (Redis away), then ctx.outcome lets the app go on after a second and the report finishes later', async () => {
    jest.useFakeTimers();
    try {
      let finish: (v: boolean) => void = () => undefined;
      const r = reporter(() => new Promise<boolean>((resolve) => (finish = resolve)));
      const turn = outcomeReporter(r, mapState(), 's4', logOf);
      await turn.start(SIGNED);
      let done = false;
      const pending = turn.outcome('answered').then(() => (done = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await pending;
      expect(done).toBe(true);
      finish(true);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('when recording fails (Redis restarting)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    function captured() {
      const lines: Array<{ level: number; msg: string; recorded?: boolean }> = [];
      const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
      return { lines, logOf: () => log };
    }

    it('then ctx.outcome resolves within a second and the report is tried again until it lands', async () => {
      const { lines, logOf: capture } = captured();
      const tries: string[] = [];
      const r = reporter((_ref, outcome) => {
        tries.push(outcome);
        return tries.length < 4 ? Promise.reject(new Error('redis down')) : Promise.resolve(true);
      });
      const turn = outcomeReporter(r, mapState(), 's5', capture);
      await turn.start(SIGNED);
      let done = false;
      const pending = turn.outcome('sent').then(() => (done = true));
      await jest.advanceTimersByTimeAsync(1000);
      expect(done).toBe(true);
      await pending;
      await jest.advanceTimersByTimeAsync(10_000);
      expect(tries).toEqual(['sent', 'sent', 'sent', 'sent']);
      expect(lines.map((l) => l.msg)).toEqual([
        'could not record the campaign outcome yet: trying again in the background',
        'campaign outcome',
      ]);
      expect(lines[1]?.recorded).toBe(true);
    });

    it('then a kept reference that could not be read is read again', async () => {
      const { lines, logOf: capture } = captured();
      const reports: string[] = [];
      const r = reporter((_ref, outcome) => (reports.push(outcome), Promise.resolve(true)));
      const stateFor = mapState();
      await outcomeReporter(r, stateFor, 's6', capture).start(SIGNED);
      let reads = 0;
      const flaky = (id: string): SessionState => {
        const state = stateFor(id);
        return {
          ...state,
          get: (key) => (++reads === 1 ? Promise.reject(new Error('redis down')) : state.get(key)),
        };
      };
      const pending = outcomeReporter(r, flaky, 's6', capture).outcome('confirmed');
      await jest.advanceTimersByTimeAsync(1000);
      await pending;
      expect(reads).toBe(2);
      expect(reports).toEqual(['confirmed']);
      expect(lines.at(-1)?.msg).toBe('campaign outcome');
    });

    it('then after REPORT_RETRY_FOR_MS it gives up and says so as an error', async () => {
      const { lines, logOf: capture } = captured();
      let tries = 0;
      const r = reporter(() => (tries++, Promise.reject(new Error('redis down'))));
      const turn = outcomeReporter(r, mapState(), 's7', capture);
      await turn.start(SIGNED);
      const pending = turn.outcome('busy');
      await jest.advanceTimersByTimeAsync(REPORT_RETRY_FOR_MS + 5000);
      await expect(pending).resolves.toBeUndefined();
      const after = tries;
      await jest.advanceTimersByTimeAsync(REPORT_RETRY_FOR_MS);
      expect(tries).toBe(after);
      expect(tries).toBeGreaterThan(5);
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [40, 'could not record the campaign outcome yet: trying again in the background'],
        [50, 'could not record the campaign outcome: gave up'],
      ]);
    });
  });
});
