/** The phone service: sessions bounded in number and in time, replies checked, and the webhook key carried but hidden. */
import { createPhone, type PhoneEvent } from '../../../src/phone';
import { loadApps } from '../../../src/server/registry';
import type { HttpOutcome, PostJson } from '../../../src/simulator';

const ORIGIN = 'http://127.0.0.1:9';
const registry = loadApps(undefined, ['ivr-menu']);

/** The IVR's first document for every start, a hang-up for everything else; notes each URL. */
function fakeServer(): { post: PostJson; urls: string[] } {
  const urls: string[] = [];
  const answer = (body: unknown): HttpOutcome => ({
    ok: true,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(body),
    truncated: false,
    durationMs: 0,
  });
  const post: PostJson = (url) => {
    urls.push(url);
    const start = new URL(url).pathname.endsWith('/start');
    return Promise.resolve(
      answer(
        start
          ? {
              tropo: [
                {
                  ask: {
                    name: 'pick',
                    choices: { value: '1,2' },
                    timeout: 5,
                    say: [{ value: 'Pick' }],
                  },
                },
                { on: { event: 'hangup', next: '/apps/ivr-menu/on/hangup' } },
              ],
            }
          : { tropo: [{ hangup: null }] },
      ),
    );
  };
  return { post, urls };
}

const CALL = { mode: 'call', app: 'ivr-menu', from: '+14075550100', to: '+14075550199' };

/** Starts a call and resolves once it waits for its first answer. */
async function waitingCall(phone: ReturnType<typeof createPhone>) {
  const events: PhoneEvent[] = [];
  let asked!: () => void;
  const question = new Promise<void>((resolve) => (asked = resolve));
  const session = phone.start(CALL, ORIGIN, (e) => {
    events.push(e);
    if (e.type === 'question') asked();
  });
  if ('code' in session) throw new Error(`refused: ${session.code}`);
  await question;
  return { session, events };
}

afterEach(() => jest.useRealTimers());

describe('the phone service', () => {
  it('when as many sessions run as may, then another is refused until one ends', async () => {
    const phone = createPhone({
      config: { webhookSecret: undefined, appTimeoutMs: 1000 },
      registry,
      post: fakeServer().post,
      maxSessions: 1,
    });
    const first = await waitingCall(phone);
    expect(phone.start(CALL, ORIGIN, () => undefined)).toEqual({ code: 'PHONE_BUSY', issues: [] });
    expect(phone.hangup(first.session.id)).toBeUndefined();
    await first.session.done;
    expect(first.events.at(-1)).toMatchObject({ type: 'ended' });
    const second = await waitingCall(phone);
    await phone.close();
    await second.session.done;
  });

  it('when a session outlives its time, then it is hung up', async () => {
    jest.useFakeTimers({
      doNotFake: ['performance', 'nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const phone = createPhone({
      config: { webhookSecret: undefined, appTimeoutMs: 1000 },
      registry,
      post: fakeServer().post,
      maxSeconds: 60,
    });
    const call = await waitingCall(phone);
    jest.advanceTimersByTime(60_000);
    const transcript = await call.session.done;
    expect(transcript.lines.map((l) => l.text)).toContain('Caller hangs up');
  });

  it('when the server shuts down, then running calls are hung up and new ones refused', async () => {
    jest.useFakeTimers({
      doNotFake: ['performance', 'nextTick', 'setImmediate', 'queueMicrotask'],
    });
    let stopping = false;
    const phone = createPhone({
      config: { webhookSecret: undefined, appTimeoutMs: 1000 },
      registry,
      post: fakeServer().post,
      isShuttingDown: () => stopping,
    });
    const call = await waitingCall(phone);
    stopping = true;
    expect(phone.start(CALL, ORIGIN, () => undefined)).toMatchObject({ code: 'PHONE_BUSY' });
    jest.advanceTimersByTime(200);
    const transcript = await call.session.done;
    expect(transcript.lines.map((l) => l.text)).toContain('Caller hangs up');
  });

  it('when a reply is malformed or for no session, then it is refused with the catalogue code', async () => {
    const phone = createPhone({
      config: { webhookSecret: undefined, appTimeoutMs: 1000 },
      registry,
      post: fakeServer().post,
    });
    const call = await waitingCall(phone);
    expect(phone.reply('nope', {})).toMatchObject({ code: 'PHONE_SESSION_NOT_FOUND' });
    expect(phone.reply(call.session.id, { question: 1 })).toMatchObject({
      code: 'PHONE_REQUEST_INVALID',
    });
    expect(
      phone.reply(call.session.id, { question: 1, reply: { kind: 'ask', via: 'dtmf', text: 'x' } }),
    ).toMatchObject({ code: 'PHONE_REQUEST_INVALID' });
    expect(
      phone.reply(call.session.id, { question: 1, reply: { kind: 'ask', via: 'dtmf', text: '2' } }),
    ).toBeUndefined();
    await call.session.done;
  });

  it('when the server has a WEBHOOK_SECRET, then the engine carries it and the transcript hides it', async () => {
    const secret = 'phone-webhook-secret-0123456789';
    const server = fakeServer();
    const phone = createPhone({
      config: { webhookSecret: secret, appTimeoutMs: 1000 },
      registry,
      post: server.post,
    });
    const call = await waitingCall(phone);
    phone.hangup(call.session.id);
    const transcript = await call.session.done;
    expect(server.urls[0]).toBe(`${ORIGIN}/apps/ivr-menu/start?key=${secret}`);
    expect(JSON.stringify(call.events)).not.toContain(secret);
    expect(JSON.stringify(transcript)).not.toContain(secret);
  });
});
