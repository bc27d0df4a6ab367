import {
  answerEndsSession,
  documentEndsSession,
  resultEndsSession,
  shouldForgetState,
  type ForgetInput,
} from '../../src/server/session-end';
import {
  ask,
  conference,
  hangup,
  on,
  redirect,
  reject,
  say,
  transfer,
  type Verb,
} from '../../src/tropo';

const NEXT = '/apps/a/on/b';
const prompt = ask({ name: 'x', choices: { value: '1, 2' }, say: [{ value: 'Press 1 or 2.' }] });

describe('documentEndsSession', () => {
  it.each<[string, Verb[]]>([
    ['a say and a hangup', [say({ value: 'bye' }), hangup()]],
    ['a lone say (Tropo hangs up after the last verb)', [say({ value: 'hi' })]],
    ['an empty document', []],
    ['a reject', [reject()]],
    ['a redirect', [redirect({ to: 'sip:desk@example.com' })]],
    ['an ask whose handlers only speak', [prompt, on({ event: 'incomplete', say: 'Sorry.' })]],
    [
      'a transfer whose ring handler only plays audio',
      [transfer({ to: 'tel:+14155550100', on: { event: 'ring', say: 'http://x/ring.wav' } })],
    ],
  ])('when the document is %s, then the session ends', (_, verbs) => {
    expect(documentEndsSession(verbs)).toBe(true);
  });

  it.each<[string, Verb[]]>([
    ['an ask with a continue handler', [prompt, on({ event: 'continue', next: NEXT })]],
    ['only an incomplete handler', [prompt, on({ event: 'incomplete', next: NEXT })]],
    ['a signal handler', [say({ value: 'hold on' }), on({ event: 'wakeup', next: NEXT })]],
    [
      'a hangup verb and a hangup handler (the hangup result still comes)',
      [say({ value: 'bye' }), hangup(), on({ event: 'hangup', next: NEXT })],
    ],
    ['a reject with a continue handler', [reject(), on({ event: 'continue', next: NEXT })]],
    [
      'a transfer whose connect handler posts',
      [transfer({ to: 'tel:+14155550100', on: { event: 'connect', post: NEXT } })],
    ],
    [
      'a conference with a handler that names next',
      [conference({ id: 'room', on: [{ event: 'join', next: NEXT }] })],
    ],
  ])('when the document has %s, then the session goes on', (_, verbs) => {
    expect(documentEndsSession(verbs)).toBe(false);
  });
});

describe('resultEndsSession and answerEndsSession', () => {
  it.each([
    ['DISCONNECTED', true],
    ['disconnected', true],
    ['ANSWERED', false],
    ['FAILED', false],
    ['', false],
  ])('when a result has state %j, then ends is %s', (state, ends) => {
    expect(resultEndsSession({ kind: 'result', state })).toBe(ends);
  });

  it('when a hangup result is answered with a document that continues, then the session still ends', () => {
    const verbs = [prompt, on({ event: 'continue', next: NEXT })];
    expect(answerEndsSession(verbs, { kind: 'result', state: 'DISCONNECTED' })).toBe(true);
    expect(answerEndsSession(verbs, { kind: 'result', state: 'ANSWERED' })).toBe(false);
    expect(answerEndsSession(verbs)).toBe(false);
  });

  it('when a transcription callback is answered, then nothing ends, whatever the answer', () => {
    expect(answerEndsSession([hangup()], { kind: 'transcription', state: 'DISCONNECTED' })).toBe(
      false,
    );
    expect(answerEndsSession([hangup()], { kind: 'result', state: 'ANSWERED' })).toBe(true);
  });
});

describe('shouldForgetState', () => {
  const base: ForgetInput = {
    phase: 'continue',
    ended: true,
    use: { wrote: false, cleared: false },
    storeFailed: false,
  };

  it('when a continued session ends, then its state is forgotten, even if this request wrote nothing', () => {
    expect(shouldForgetState(base)).toBe(true);
  });

  it('when the session goes on, then nothing is forgotten', () => {
    expect(shouldForgetState({ ...base, ended: false, use: { wrote: true, cleared: false } })).toBe(
      false,
    );
  });

  it('when a new session ends, then its state is forgotten only if this request wrote some', () => {
    expect(shouldForgetState({ ...base, phase: 'start' })).toBe(false);
    expect(
      shouldForgetState({ ...base, phase: 'start', use: { wrote: true, cleared: false } }),
    ).toBe(true);
  });

  it('when the app already cleared the state, or the store just failed, then nothing more is tried', () => {
    expect(shouldForgetState({ ...base, use: { wrote: true, cleared: true } })).toBe(false);
    expect(shouldForgetState({ ...base, storeFailed: true })).toBe(false);
  });
});
