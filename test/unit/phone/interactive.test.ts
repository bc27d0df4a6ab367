/** The phone's input source: a question waits for its reply, a wrong or stale reply is refused, a hang-up answers everything. */
import { InteractiveSource, type Question } from '../../../src/phone/interactive';

const ASK = {
  who: 'Caller',
  channel: 'VOICE' as const,
  timeout: 5,
  attempt: 1,
  attempts: 1,
  mode: undefined,
  choices: 'yes(1)',
  at: 3,
};

function source(): {
  input: InteractiveSource;
  asked: [number, Question][];
  clock: { ms: number };
} {
  const asked: [number, Question][] = [];
  const clock = { ms: 0 };
  const input = new InteractiveSource(
    (id, q) => asked.push([id, q]),
    () => clock.ms,
  );
  return { input, asked, clock };
}

describe('InteractiveSource', () => {
  it('when an ask waits, then the page hears of it and its reply becomes the caller input', async () => {
    const { input, asked } = source();
    const answer = input.answer(ASK);
    expect(asked).toEqual([[1, { kind: 'ask', ...ASK }]]);
    expect(input.reply(1, { kind: 'ask', via: 'dtmf', text: '1' })).toBeUndefined();
    await expect(answer).resolves.toEqual({ kind: 'answer', text: '1', via: 'dtmf' });
    const next = input.answer(ASK);
    expect(input.reply(2, { kind: 'ask', via: 'timeout' })).toBeUndefined();
    await expect(next).resolves.toEqual({ kind: 'timeout' });
  });

  it('when a reply names another question, another kind, or bad keys, then it is refused and the ask still waits', async () => {
    const { input } = source();
    const answer = input.answer(ASK);
    expect(input.reply(7, { kind: 'ask', via: 'dtmf', text: '1' })).toEqual({
      code: 'PHONE_NOT_WAITING',
    });
    expect(input.reply(1, { kind: 'leg', outcome: 'busy' })).toMatchObject({
      code: 'PHONE_REQUEST_INVALID',
    });
    expect(input.reply(1, { kind: 'ask', via: 'dtmf', text: '12a' })).toMatchObject({
      code: 'PHONE_REQUEST_INVALID',
    });
    expect(input.waiting?.id).toBe(1);
    input.reply(1, { kind: 'ask', via: 'speech', text: ' yes ' });
    await expect(answer).resolves.toEqual({ kind: 'answer', text: 'yes', via: 'speech' });
  });

  it('when a recording is stopped or a conference left, then how long it lasted is measured', async () => {
    const { input, clock } = source();
    const recording = input.record({
      attempt: 1,
      attempts: 1,
      timeout: 10,
      maxTime: undefined,
      at: 0,
    });
    clock.ms = 4200;
    input.reply(1, { kind: 'record', outcome: 'recorded' });
    await expect(recording).resolves.toEqual({ outcome: 'recorded', seconds: 4 });
    const room = input.conference({ room: 'r1', at: 0 });
    clock.ms += 9000;
    input.reply(2, { kind: 'conference' });
    await expect(room).resolves.toEqual({ seconds: 9 });
  });

  it('when the person hangs up, then the waiting question and every later one get the hang-up answer', async () => {
    const { input, asked } = source();
    const leg = input.leg({ verb: 'call', to: '+14075550123', timeout: 30, at: 0 });
    input.hangup();
    await expect(leg).resolves.toBe('no-answer');
    await expect(input.answer(ASK)).resolves.toEqual({ kind: 'hangup' });
    await expect(
      input.record({ attempt: 1, attempts: 1, timeout: 10, maxTime: undefined, at: 0 }),
    ).resolves.toEqual({ outcome: 'hangup' });
    expect(asked).toHaveLength(1);
    expect(input.ended).toBe(true);
  });
});
