import pino from 'pino';
import type { JsonValue, SessionState } from '../../../src/sdk/define-app';
import { outcomeReporter, type OutcomeReporter } from '../../../src/server/outcomes';

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

  it('when recording fails, then ctx.outcome still resolves (the failure is logged)', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const r = reporter(() => Promise.reject(new Error('redis down')));
    const turn = outcomeReporter(r, mapState(), 's5', () => capture);
    await turn.start(SIGNED);
    await expect(turn.outcome('sent')).resolves.toBeUndefined();
    expect(lines.join('')).toContain('could not record the campaign outcome');
  });
});
