/** Tests for the engine's execution semantics (§7, §9) against an in-memory app: results, handlers, verbs, failures, limits and redaction. */
import {
  parseScriptArgs,
  renderTranscript,
  seededRandomBytes,
  manualClock,
  simulate,
  SUPPRESSED,
  type EngineOptions,
  type HttpOutcome,
  type PostJson,
  type SessionSpec,
  type Transcript,
} from '../../../src/simulator';

const ORIGIN = 'http://app.test';
const TOKEN = 'unit-token-0123456789';
const CALL: SessionSpec = { kind: 'voice', from: '+14155550100', to: '+14155550199' };
const LAUNCH: SessionSpec = { kind: 'token', token: TOKEN, parameters: { who: 'Ann' } };

type Body = Record<string, unknown>;
type Reply = unknown;
const TIMEOUT = Symbol('timeout');
/** A raw HTTP answer, for replies that are not a 200 JSON document. */
class Raw {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string | null = 'text/plain',
  ) {}
}

interface FakeApp {
  post: PostJson;
  /** Every POST: the path it went to and the body as sent. */
  calls: { path: string; body: Body }[];
}

/** An app as a table from path to a function of the POSTed body. */
function fakeApp(routes: Record<string, (body: Body) => Reply>): FakeApp {
  const calls: FakeApp['calls'] = [];
  const post: PostJson = (url, text) => {
    const parsed = new URL(url);
    const path = `${parsed.pathname}${parsed.search}`;
    const body = JSON.parse(text) as Body;
    calls.push({ path, body });
    const route = routes[path];
    const reply: Reply = route ? route(body) : new Raw(404, 'not found');
    let outcome: HttpOutcome;
    if (reply === TIMEOUT) {
      outcome = { ok: false, kind: 'timeout', message: 'no answer', durationMs: 1000 };
    } else if (reply instanceof Raw) {
      outcome = {
        ok: true,
        status: reply.status,
        contentType: reply.contentType,
        body: reply.body,
        truncated: false,
        durationMs: 0,
      };
    } else {
      outcome = {
        ok: true,
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify(reply),
        truncated: false,
        durationMs: 0,
      };
    }
    return Promise.resolve(outcome);
  };
  return { post, calls };
}

function run(
  app: FakeApp,
  session: SessionSpec,
  flags: string[] = [],
  extra: Partial<EngineOptions> = {},
): Promise<Transcript> {
  return simulate({
    startUrl: `${ORIGIN}/start`,
    session,
    script: parseScriptArgs(flags).script,
    post: app.post,
    clock: manualClock(Date.UTC(2024, 0, 15, 9, 0, 0)),
    monotonic: () => 0,
    random: seededRandomBytes(7),
    ...extra,
  });
}

const texts = (t: Transcript) => t.lines.map((l) => l.text);
const result = (app: FakeApp, n: number) => app.calls[n]?.body.result as Body;

const pinAsk = (name: string, extra: Body = {}) => ({
  ask: { name, choices: { value: '[4 DIGITS]' }, say: { value: `Enter ${name}.` }, ...extra },
});
const next = (event: string, url: string) => ({ on: { event, next: url } });

describe('results (§7)', () => {
  it('when one ask reports, then actions is an object; when two do, an array; sequence counts POSTs', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [pinAsk('pin'), next('continue', '/two')] }),
      '/two': () => ({ tropo: [pinAsk('a'), pinAsk('b'), next('continue', '/done')] }),
      '/done': () => ({ tropo: [{ hangup: null }] }),
    });
    const t = await run(app, CALL, ['--input', '1234', '--input', '5678', '--input', '9999']);
    expect(t.outcome?.status).toBe('completed');
    const first = result(app, 1);
    expect(first).toMatchObject({
      sequence: 1,
      state: 'ANSWERED',
      complete: true,
      error: null,
      calledid: '14155550199',
    });
    expect(first.actions).toMatchObject({ name: 'pin', value: '1234', utterance: '1 2 3 4' });
    const second = result(app, 2);
    expect(second.sequence).toBe(2);
    expect(second.actions).toEqual([
      expect.objectContaining({ name: 'a', value: '5678' }),
      expect.objectContaining({ name: 'b', value: '9999' }),
    ]);
    expect(Number.isInteger(second.sessionDuration)).toBe(true);
    expect(second.sessionDuration as number).toBeGreaterThan(first.sessionDuration as number);
    expect(t.results).toBe(2);
  });

  it('when a document has only says, then its result has no actions key', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [{ say: { value: 'Hi' } }, next('continue', '/next')] }),
      '/next': () => ({ tropo: [] }),
    });
    await run(app, CALL);
    expect(result(app, 1)).not.toHaveProperty('actions');
  });

  it('when next URLs are relative, then they resolve against the URL of the document (RFC 3986)', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [next('continue', 'apps/menu/step.json?x=1')] }),
      '/apps/menu/step.json?x=1': () => ({ tropo: [next('continue', 'final')] }),
      '/apps/menu/final': () => ({ tropo: [next('continue', '/top')] }),
      '/top': () => ({ tropo: [next('continue', `${ORIGIN}/absolute`)] }),
      '/absolute': () => ({ tropo: [] }),
    });
    await run(app, CALL);
    expect(app.calls.map((c) => c.path)).toEqual([
      '/start',
      '/apps/menu/step.json?x=1',
      '/apps/menu/final',
      '/top',
      '/absolute',
    ]);
  });
});

describe('on handlers (§5.8, §9.3)', () => {
  it('when the failing verb has a say-only handler, then it is played and continue takes over', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          pinAsk('pin'),
          { on: { event: 'incomplete', say: { value: 'No PIN, then.' } } },
          next('continue', '/after'),
        ],
      }),
      '/after': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL);
    expect(texts(t)).toContain('Tropo says: No PIN, then.');
    expect(result(app, 1).actions).toEqual({ name: 'pin', attempts: 1, disposition: 'TIMEOUT' });
  });

  it('when an event has no handler, then continue is the catch-all', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [pinAsk('pin'), { say: { value: 'never' } }, next('continue', '/c')],
      }),
      '/c': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, ['--input', 'nomatch']);
    expect(texts(t)).toContain('No handler for "incomplete": "continue" is the catch-all');
    expect(texts(t)).not.toContain('Tropo says: never');
    expect(result(app, 1).actions).toMatchObject({ disposition: 'NOMATCH' });
  });

  it('when no continue handler has a next URL, then Tropo hangs up and the hangup handler is told', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [{ say: { value: 'Bye' } }, next('hangup', '/gone')] }),
      '/gone': () => ({ tropo: [{ say: { value: 'too late' } }] }),
    });
    const t = await run(app, CALL);
    expect(result(app, 1).state).toBe('DISCONNECTED');
    expect(texts(t)).toContain('Tropo skips say: the call has ended');
    expect(t.outcome?.reason).toMatch(/^Tropo hung up/);
  });

  it('when a failed verb is not required, then the document goes on', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [pinAsk('pin', { required: false }), { say: { value: 'Going on.' } }],
      }),
    });
    const t = await run(app, CALL);
    expect(texts(t)).toContain('Tropo says: Going on.');
  });
});

describe('ask', () => {
  it('when attempts fail, then the matching event prompts play before each retry and none after the last', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            ask: {
              name: 'year',
              attempts: 3,
              choices: { value: '[4 DIGITS]' },
              say: [
                { value: 'Not a year.', event: 'nomatch:1' },
                { value: 'Still not a year.', event: 'nomatch:2' },
                { value: 'Hello?', event: 'timeout' },
                { value: 'What year?' },
              ],
            },
          },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, ['--input', '12', '--input', 'timeout', '--input', '99']);
    const spoken = texts(t).filter((x) => x.startsWith('Tropo says'));
    expect(spoken).toEqual([
      'Tropo says: What year?',
      'Tropo says: Not a year.',
      'Tropo says: What year?',
      'Tropo says: Hello?',
      'Tropo says: What year?',
    ]);
    expect(result(app, 1).actions).toEqual({ name: 'year', attempts: 3, disposition: 'NOMATCH' });
  });

  it('when the ask listens for keys only and the caller speaks, then it times out', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { ask: { name: 'k', choices: { value: '1,2', mode: 'DTMF' }, say: { value: 'Press.' } } },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--input', 'speech:one']);
    expect(result(app, 1).actions).toMatchObject({ disposition: 'TIMEOUT' });
  });

  it('when keys end with the terminator, then the terminator is not part of the answer', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            ask: {
              name: 'pin',
              choices: { value: '[4 DIGITS]', terminator: '*' },
              say: { value: 'PIN' },
            },
          },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--input', '4321*']);
    expect(result(app, 1).actions).toMatchObject({ value: '4321', disposition: 'SUCCESS' });
  });

  it('when a text session asks, then the first ask takes initialText and the next one the script', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { ask: { name: 'first', choices: { value: '[ANY]' }, say: { value: '' } } },
          { ask: { name: 'second', choices: { value: 'yes,no' }, say: { value: 'Sure?' } } },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(
      app,
      { kind: 'text', from: '+14155550100', to: '+14155550199', text: 'book a table' },
      ['--input', 'Yes.'],
    );
    expect(result(app, 1).actions).toEqual([
      expect.objectContaining({ name: 'first', value: 'book a table' }),
      expect.objectContaining({ name: 'second', value: 'yes' }),
    ]);
    expect(texts(t)).toContain('Tropo texts +14155550100: Sure?');
    expect(texts(t)).toContain('Caller texts: Yes.');
  });

  it('when a voice ask uses [ANY], then Tropo fires error with the reason', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { ask: { choices: { value: '[ANY]' }, say: { value: 'Speak.' } } },
          next('error', '/e'),
        ],
      }),
      '/e': () => ({ tropo: [] }),
    });
    await run(app, CALL);
    expect(result(app, 1).error).toBe('the [ANY] grammar only works on the TEXT channel');
  });
});

describe('call and message', () => {
  const launch = (outcome: string, app: FakeApp) => run(app, LAUNCH, ['--call-outcome', outcome]);
  const callApp = () =>
    fakeApp({
      '/start': () => ({
        tropo: [
          { call: { to: 'tel:+14075551212', timeout: 20, name: 'dial' } },
          next('incomplete', '/failed'),
        ],
      }),
      '/failed': () => ({ tropo: [] }),
    });

  it('when the callee is busy, then incomplete fires with state FAILED and a BUSY action', async () => {
    const app = callApp();
    const t = await launch('busy', app);
    expect(texts(t)).toContain('+14075551212 is busy');
    expect(result(app, 1)).toMatchObject({
      state: 'FAILED',
      calledid: '14075551212',
      actions: { name: 'dial', disposition: 'BUSY', connectedDuration: 0 },
    });
  });

  it('when nobody answers, then the action is TIMEOUT after the call timeout', async () => {
    const app = callApp();
    await launch('no-answer', app);
    expect(result(app, 1).actions).toMatchObject({ disposition: 'TIMEOUT', duration: 20 });
  });

  it('when an inbound session calls, then Tropo fires error', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [{ call: { to: '+14075551212' } }, next('error', '/e')] }),
      '/e': () => ({ tropo: [] }),
    });
    await run(app, CALL);
    expect(result(app, 1).error).toMatch(/already has one/);
  });

  it('when machine detection runs, then the result carries userType', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { call: { to: '+14075551212', machineDetection: { introduction: 'Hello there' } } },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, LAUNCH, ['--user-type', 'machine']);
    expect(result(app, 1).userType).toBe('MACHINE');
    expect(texts(t)).toContain('Tropo says while it listens: Hello there');
  });

  it('when a token session says before calling, then Tropo fires error', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [{ say: { value: 'Hi' } }, next('error', '/e')] }),
      '/e': () => ({ tropo: [] }),
    });
    await run(app, LAUNCH);
    expect(result(app, 1)).toMatchObject({ state: 'DISCONNECTED', callId: null });
    expect(result(app, 1).error).toMatch(/^say needs a call/);
  });

  it('when a message goes to several numbers over SMS, then only the first is texted', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            message: {
              to: ['+14155550101', '+14155550102'],
              say: { value: 'Hello' },
              network: 'SMS',
              channel: 'TEXT',
            },
          },
        ],
      }),
    });
    const t = await run(app, LAUNCH);
    expect(texts(t)).toContain('Tropo texts +14155550101: Hello');
    expect(texts(t)).toContain('Only the first number of "to" receives a text');
  });
});

describe('record, transfer, conference, wait', () => {
  it('when the caller records, then the action has a fake local copy, the upload and the duration', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { startRecording: { url: 'https://files.example/whole.wav' } },
          {
            record: {
              name: 'msg',
              url: 'https://user:pw@files.example/up',
              format: 'audio/mp3',
              say: { value: 'Speak' },
            },
          },
          { stopRecording: null },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, ['--record-duration', '12']);
    const action = result(app, 1).actions as Body;
    expect(action).toMatchObject({
      name: 'msg',
      disposition: 'SUCCESS',
      uploadStatus: 'success',
      duration: 12,
      url: 'https://user:pw@files.example/up',
    });
    expect(action.value).toMatch(/^http:\/\/recordings\.simulator\.invalid\/[0-9a-f]{32}\/1\.mp3$/);
    expect(texts(t)).toContain(
      'Tropo starts recording the call for https://files.example/whole.wav',
    );
    expect(texts(t).some((x) => x.startsWith('Tropo stops recording (stopRecording)'))).toBe(true);
    // The password in the upload URL stays out of the transcript's copy.
    expect(JSON.stringify(t)).not.toContain(':pw@');
  });

  it('when a transfer connects, then the action reports ring and connected time', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            transfer: {
              to: '+14155550123',
              name: 'xfer',
              on: [
                { event: 'ring', say: { value: 'http://audio.example/ring.wav' } },
                { event: 'connect', say: { value: 'A caller for you.' } },
              ],
            },
          },
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, ['--transfer-duration', '40']);
    expect(result(app, 1).actions).toMatchObject({
      name: 'xfer',
      disposition: 'SUCCESS',
      connectedDuration: 40,
      // 5 s of ringing, 1.6 s of whisper to the callee, 40 s connected.
      duration: 47,
      calledid: '14155550123',
    });
    expect(texts(t)).toContain('Tropo says to +14155550123: A caller for you.');
  });

  it('when the callee of a transfer is busy, then incomplete fires', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [{ transfer: { to: '+14155550123' } }, next('incomplete', '/busy')],
      }),
      '/busy': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--transfer-outcome', 'busy']);
    expect(result(app, 1).actions).toMatchObject({ disposition: 'BUSY' });
  });

  it('when the caller leaves a conference, then it ends with HANGUP and DISCONNECTED', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [{ conference: { id: 'room-7', name: 'conf' } }, next('hangup', '/left')],
      }),
      '/left': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--conference-duration', '48']);
    expect(result(app, 1)).toMatchObject({
      state: 'DISCONNECTED',
      actions: { name: 'conf', duration: 48, disposition: 'HANGUP' },
    });
  });

  it('when a signal arrives during a wait, then its handler fires; a signal the verb refuses is discarded', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { wait: { milliseconds: 60000, allowSignals: ['exit'] } },
          next('exit', '/exited'),
          next('stop', '/stopped'),
        ],
      }),
      '/exited': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, [], {
      signals: [
        { name: 'stop', atSeconds: 5 },
        { name: 'exit', atSeconds: 10 },
      ],
    });
    expect(app.calls.map((c) => c.path)).toEqual(['/start', '/exited']);
    expect(result(app, 1).sessionDuration).toBe(10);
    expect(texts(t)).toContain('Signal "stop" is discarded: the running verb does not allow it');
  });
  it('when a signal arrives during a recording, then the record reports EXTERNAL_EVENT and the signal handler fires', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            record: {
              name: 'memo',
              url: 'https://example.com/upload',
              maxTime: 60,
              allowSignals: 'exit',
            },
          },
          next('exit', '/exited'),
        ],
      }),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--record-duration', '30'], {
      signals: [{ name: 'exit', atSeconds: 10 }],
    });
    expect(app.calls.map((c) => c.path)).toEqual(['/start', '/exited']);
    expect(result(app, 1).actions).toMatchObject({
      name: 'memo',
      attempts: 1,
      disposition: 'EXTERNAL_EVENT',
    });
  });
});

describe('signals interrupting ask, transfer and conference (§4.6, §8.3): the result reports EXTERNAL_EVENT', () => {
  /** The session's second POST: where it went and the result it carried. */
  const signalled = (app: FakeApp) => ({ path: app.calls[1]?.path, result: result(app, 1) });

  it('when a signal arrives while the caller is silent, then the ask reports EXTERNAL_EVENT with no recognition and the signal handler is POSTed', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [pinAsk('pin'), next('exit', '/exited')] }),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--input', 'timeout'], { signals: [{ name: 'exit', atSeconds: 5 }] });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted).toMatchObject({ state: 'ANSWERED', sessionDuration: 5, error: null });
    expect(posted.actions).toEqual({ name: 'pin', attempts: 1, disposition: 'EXTERNAL_EVENT' });
  });

  it('when a signal cuts the reprompt of a second attempt, then the ask counts only the attempt already made', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          {
            ask: {
              name: 'pin',
              attempts: 2,
              timeout: 3,
              choices: { value: '[4 DIGITS]' },
              say: [
                { value: 'Enter pin.' },
                { value: 'Sorry, we did not hear you, please try again', event: 'timeout' },
              ],
            },
          },
          next('exit', '/exited'),
        ],
      }),
      '/exited': () => ({ tropo: [] }),
    });
    // 0.8 s of prompt, 3 s of silence, then the reprompt from 3.8 s: the signal at 5 s cuts it.
    await run(app, CALL, ['--input', 'timeout'], { signals: [{ name: 'exit', atSeconds: 5 }] });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted.actions).toEqual({ name: 'pin', attempts: 1, disposition: 'EXTERNAL_EVENT' });
  });

  const transferTo = (extra: Body = {}) => ({
    tropo: [
      { transfer: { to: '+14155550123', name: 'xfer', choices: { terminator: '#' }, ...extra } },
      next('exit', '/exited'),
      next('continue', '/done'),
    ],
  });

  it('when a signal arrives while the transfer rings, then it reports EXTERNAL_EVENT with no connected time', async () => {
    const app = fakeApp({
      '/start': () => transferTo(),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, [], { signals: [{ name: 'exit', atSeconds: 2 }] });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted).toMatchObject({ state: 'ANSWERED', sessionDuration: 2 });
    expect(posted.actions).toEqual({
      name: 'xfer',
      duration: 2,
      connectedDuration: 0,
      disposition: 'EXTERNAL_EVENT',
      timestamp: '2024-01-15T09:00:00.000Z',
      calledid: '14155550123',
    });
  });

  it('when a signal arrives while the callee is busy, then the transfer reports EXTERNAL_EVENT, not BUSY', async () => {
    const app = fakeApp({
      '/start': () => transferTo(),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--transfer-outcome', 'busy'], {
      signals: [{ name: 'exit', atSeconds: 1 }],
    });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted.actions).toMatchObject({
      name: 'xfer',
      duration: 1,
      connectedDuration: 0,
      disposition: 'EXTERNAL_EVENT',
    });
  });

  it('when a signal arrives while the legs are connected, then the transfer reports EXTERNAL_EVENT with the time connected so far', async () => {
    const app = fakeApp({
      '/start': () => transferTo({ machineDetection: true }),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--transfer-duration', '40'], {
      signals: [{ name: 'exit', atSeconds: 15 }],
    });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted).toMatchObject({ state: 'ANSWERED', sessionDuration: 15 });
    // 5 s of ringing, then 10 s connected; machine detection's verdict is kept.
    expect(posted.actions).toEqual({
      name: 'xfer',
      duration: 15,
      connectedDuration: 10,
      disposition: 'EXTERNAL_EVENT',
      timestamp: '2024-01-15T09:00:00.000Z',
      calledid: '14155550123',
      userType: 'HUMAN',
    });
  });

  it('when a transfer has no terminator, then a signal does not interrupt it and the transfer ends normally', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { transfer: { to: '+14155550123', name: 'xfer' } },
          next('exit', '/exited'),
          next('continue', '/done'),
        ],
      }),
      '/done': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--transfer-duration', '40'], {
      signals: [{ name: 'exit', atSeconds: 15 }],
    });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/done');
    expect(posted.actions).toMatchObject({ disposition: 'SUCCESS', connectedDuration: 40 });
  });

  it('when a signal arrives during a conference with a terminator, then it reports EXTERNAL_EVENT and the caller stays on the call', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { conference: { id: 'room-7', name: 'conf', terminator: '#' } },
          next('exit', '/exited'),
          next('hangup', '/left'),
        ],
      }),
      '/exited': () => ({ tropo: [] }),
    });
    await run(app, CALL, ['--conference-duration', '60'], {
      signals: [{ name: 'exit', atSeconds: 20 }],
    });
    const { path, result: posted } = signalled(app);
    expect(path).toBe('/exited');
    expect(posted).toMatchObject({ state: 'ANSWERED', sessionDuration: 20 });
    expect(posted.actions).toEqual({ name: 'conf', duration: 20, disposition: 'EXTERNAL_EVENT' });
  });
});

describe('before the answer (§9.5)', () => {
  it('when the first document redirects, then the call goes elsewhere and nothing is POSTed', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [{ redirect: { to: 'sip:desk@example.com' } }, next('continue', '/x')],
      }),
    });
    const t = await run(app, CALL);
    expect(app.calls).toHaveLength(1);
    expect(t.outcome).toMatchObject({ status: 'completed', state: 'REDIRECTED' });
    expect(texts(t)).not.toContain('Tropo answers the call');
  });

  it('when the first document rejects, then the call is rejected', async () => {
    const app = fakeApp({ '/start': () => ({ tropo: [{ reject: 'null' }] }) });
    const t = await run(app, CALL);
    expect(t.outcome).toMatchObject({ state: 'REJECTED', reason: 'the call was rejected' });
  });

  it('when a redirect comes after the answer, then Tropo fires error', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { say: { value: 'Hi' } },
          { redirect: { to: '+14155550100' } },
          next('error', '/e'),
        ],
      }),
      '/e': () => ({ tropo: [] }),
    });
    await run(app, CALL);
    expect(result(app, 1).error).toBe('redirect only works before the call is answered');
  });
});

describe('redaction', () => {
  it('when the session was launched with a token, then it appears nowhere in the transcript', async () => {
    const app = fakeApp({
      '/start': (body) => ({ tropo: [{ say: { value: `echo ${JSON.stringify(body)}` } }] }),
    });
    const t = await run(app, LAUNCH);
    expect(app.calls[0]?.body).toMatchObject({ session: { parameters: { token: TOKEN } } });
    expect(JSON.stringify(t)).not.toContain(TOKEN);
  });

  it('when generalLogSecurity suppresses, then prompts and answers are hidden from then on, in lines and bodies', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { say: { value: 'Visible greeting' } },
          { generalLogSecurity: 'suppress' },
          pinAsk('pin', { say: { value: 'Secret prompt' } }),
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [{ say: { value: 'Still secret' } }] }),
    });
    const t = await run(app, CALL, ['--input', '8642']);
    const all = JSON.stringify(t);
    expect(all).toContain('Visible greeting');
    for (const secret of ['Secret prompt', 'Still secret', '8642', '8 6 4 2']) {
      expect(all).not.toContain(secret);
    }
    expect(texts(t)).toContain(`Caller presses ${SUPPRESSED}`);
    // The app itself still gets the real answer.
    expect(result(app, 1).actions).toMatchObject({ value: '8642' });
  });

  it('when one prompt has promptLogSecurity suppress, then only that prompt is hidden', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          { say: { value: 'Your balance is 12 dollars', promptLogSecurity: 'suppress' } },
          { say: { value: 'Goodbye' } },
        ],
      }),
    });
    const t = await run(app, CALL);
    expect(JSON.stringify(t)).not.toContain('12 dollars');
    expect(texts(t)).toEqual(
      expect.arrayContaining([`Tropo says: ${SUPPRESSED}`, 'Tropo says: Goodbye']),
    );
  });

  it('when asrLogSecurity masks, then the transcript shows the mask and the app the input', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [
          pinAsk('card', { asrLogSecurity: 'mask', maskTemplate: 'XXDD' }),
          next('continue', '/r'),
        ],
      }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, ['--input', '4417']);
    expect(texts(t)).toContain('Caller presses **17');
    const shown = (t.exchanges[1]?.request as { result: { actions: Body } }).result.actions;
    expect(shown).toMatchObject({ value: '**17', xml: SUPPRESSED });
    expect(result(app, 1).actions).toMatchObject({ value: '4417' });
  });
});

describe('app failures and limits', () => {
  it('when the simulator itself crashes, then the transcript keeps the stack of the error and of its cause, secrets hidden', async () => {
    function explodingPost(): Promise<HttpOutcome> {
      throw new Error(`engine bug near ${TOKEN}`, { cause: new TypeError('inner trouble') });
    }
    const t = await run({ post: explodingPost, calls: [] }, LAUNCH);
    expect(t.outcome).toMatchObject({
      status: 'app-failed',
      reason: expect.stringMatching(/^the simulator failed: engine bug near /),
    });
    const cause = t.outcome?.cause ?? '';
    expect(cause).toMatch(/^Error: engine bug near /);
    // The frame that threw, then the cause with its own stack.
    expect(cause).toMatch(/\n\s+at \S*explodingPost\b/);
    expect(cause).toMatch(/\nCaused by: TypeError: inner trouble\n\s+at /);
    expect(JSON.stringify(t)).not.toContain(TOKEN);
    expect(renderTranscript(t)).toContain('Caused by: TypeError: inner trouble');
  });

  it('when the first answer is not a valid document, then Tropo never answers and the session failed', async () => {
    const app = fakeApp({ '/start': () => ({ tropo: [{ say: { value: 'x' }, hangup: null }] }) });
    const t = await run(app, CALL);
    expect(t.outcome).toMatchObject({ status: 'app-failed', state: 'DISCONNECTED' });
    expect(t.exchanges[0]?.failure?.kind).toBe('invalid-document');
    expect(texts(t)).toContain('Tropo never answers the call and hangs up');
  });

  it('when a continuation fails, then the error handler is POSTed once and a second failure hangs up', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [next('continue', '/boom'), next('error', '/oops')] }),
      '/boom': () => new Raw(503, 'busy'),
      '/oops': () => TIMEOUT,
    });
    const t = await run(app, CALL);
    expect(app.calls.map((c) => c.path)).toEqual(['/start', '/boom', '/oops']);
    expect(result(app, 2)).toMatchObject({ sequence: 2, error: 'the app answered HTTP 503' });
    expect(t.outcome?.failures).toEqual([
      'the app answered HTTP 503',
      'the app did not answer within 10000 ms',
    ]);
    expect(texts(t)).toContain('Tropo hangs up');
  });

  it('when the answer has no charset and non-ASCII text, then a warning says Tropo would read Latin-1', async () => {
    const app = fakeApp({
      '/start': () => new Raw(200, '{"tropo":[{"say":{"value":"Grüß Gott"}}]}', 'application/json'),
    });
    const t = await run(app, CALL);
    expect(t.outcome?.status).toBe('completed');
    expect(t.lines.filter((l) => l.level === 'warning').map((l) => l.text)).toEqual([
      'Warning: the answer has non-ASCII text but no charset; Tropo would decode it as Latin-1',
    ]);
  });

  it('when an app keeps the session alive for hours, then the simulated time limit stops it', async () => {
    const app = fakeApp({
      '/start': () => ({
        tropo: [{ wait: { milliseconds: 3_600_000 } }, next('continue', '/start')],
      }),
    });
    const t = await run(app, LAUNCH, [], { limits: { maxSessionSeconds: 7200 } });
    expect(t.outcome?.status).toBe('limit-reached');
    expect(t.outcome?.reason).toMatch(/longer than a session may \(7200 s\)/);
    expect(app.calls).toHaveLength(2);
  });

  it('when the real time runs out, then the session stops with the wall-time limit', async () => {
    let now = 0;
    const app = fakeApp({
      '/start': () => {
        now += 400;
        return { tropo: [next('continue', '/start')] };
      },
    });
    const t = await run(app, CALL, [], { monotonic: () => now, limits: { maxWallMs: 1000 } });
    expect(t.outcome?.reason).toBe('the session took longer than 1000 ms of real time');
    expect(app.calls).toHaveLength(3);
  });
});

describe('prebuilt sessions', () => {
  it('when a session document with an unreadable timestamp is played, then results still count time from the clock', async () => {
    const app = fakeApp({
      '/start': () => ({ tropo: [{ wait: { milliseconds: 4000 } }, next('continue', '/r')] }),
      '/r': () => ({ tropo: [] }),
    });
    const t = await run(app, CALL, [], {
      session: {
        session: {
          id: 'a'.repeat(32),
          accountId: '1',
          applicationId: '2',
          timestamp: 'yesterday',
          userType: 'NONE',
          initialText: null,
          callId: null,
          parameters: { token: TOKEN },
        },
      },
    });
    expect(t.sessionId).toBe('a'.repeat(32));
    expect(t.startedAt).toBe('2024-01-15T09:00:00.000Z');
    expect(result(app, 1).sessionDuration).toBe(4);
  });
});
