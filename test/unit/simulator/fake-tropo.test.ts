/** Tests for fake-tropo: the Session API in its GET/POST, JSON/XML/form shapes, refusals, signals, transcripts, call outcomes by number and the launch log. */
import {
  createParameters,
  outcomeFor,
  parseOutcomeRule,
  parseOutcomeShares,
  parseScriptArgs,
  ScriptError,
  startFakeTropo,
  type FakeTropo,
  type FakeTropoLaunch,
  type HttpOutcome,
  type PostJson,
  type Transcript,
} from '../../../src/simulator';
import {
  createSessionApiClient,
  isSessionApiNotFoundError,
  isSessionApiRejectedError,
} from '../../../src/session-api';

/** An app that answers every POST with `document`, after `gate` when one is set. */
function app(document: (path: string) => unknown, gate?: Promise<void>) {
  const paths: string[] = [];
  const bodies: unknown[] = [];
  const post: PostJson = async (url, body) => {
    const path = new URL(url).pathname;
    paths.push(path);
    bodies.push(JSON.parse(body));
    if (gate && path === '/start') await gate;
    const outcome: HttpOutcome = {
      ok: true,
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(document(path)),
      truncated: false,
      durationMs: 0,
    };
    return outcome;
  };
  return { post, paths, bodies };
}

const hangupOnly = () => ({ tropo: [{ hangup: null }] });

describe('createParameters', () => {
  it('when the body is JSON, then values are stringified and merged with the query', () => {
    expect(
      createParameters(
        new URLSearchParams('action=create'),
        '{"token":"T","n":5,"ok":true}',
        'application/json',
      ),
    ).toEqual({ action: 'create', token: 'T', n: '5', ok: 'true' });
  });

  it('when the body is the XML form, then token and vars are read', () => {
    const xml =
      '<session><token>T&amp;1</token><var name="customerName" value="John Dyer"></var><var name="n" value="1"/></session>';
    expect(createParameters(new URLSearchParams(), xml, 'text/xml')).toEqual({
      token: 'T&1',
      customerName: 'John Dyer',
      n: '1',
    });
  });

  it('when the body is a form, then its fields are read', () => {
    expect(
      createParameters(
        new URLSearchParams(),
        'token=T&customerName=John+Dyer',
        'application/x-www-form-urlencoded',
      ),
    ).toEqual({ token: 'T', customerName: 'John Dyer' });
  });

  it('when the JSON body is broken or not an object, then the reason comes back', () => {
    expect(createParameters(new URLSearchParams(), '{nope', 'application/json')).toBe(
      'the body is not valid JSON',
    );
    expect(createParameters(new URLSearchParams(), '[1]', 'application/json')).toBe(
      'the JSON body must be an object of parameters',
    );
  });
});

describe('startFakeTropo', () => {
  let fake: FakeTropo | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('when our client launches a session, then it gets the id of the session played against the start URL', async () => {
    const target = app(hangupOnly);
    const ended: Transcript[] = [];
    fake = await startFakeTropo({
      startUrl: 'http://app.test/start',
      post: target.post,
      onSessionEnd: (t) => ended.push(t),
    });
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    const { id } = await client.createSession({ token: 'tok-1', parameters: { n: 1 } });
    const transcript = await fake.finished(id);
    expect(transcript?.sessionId).toBe(id);
    expect(target.bodies[0]).toMatchObject({
      session: { id, userType: 'NONE', parameters: { token: 'tok-1', n: '1' } },
    });
    // A POST carries no action unless its sender put one there (§8.1 leaves it open).
    expect(
      (target.bodies[0] as { session: { parameters: object } }).session.parameters,
    ).not.toHaveProperty('action');
    expect(ended.map((t) => t.sessionId)).toEqual([id]);

    const served = await fetch(`${fake.origin}/sessions/${id}`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as Transcript).outcome?.status).toBe('completed');
    const list = (await (await fetch(`${fake.origin}/sessions`)).json()) as { id: string }[];
    expect(list.map((s) => s.id)).toEqual([id]);
  });

  it('when a plain GET launches, then the answer is XML with the id and the session has action=create', async () => {
    const target = app(hangupOnly);
    fake = await startFakeTropo({ startUrl: 'http://app.test/start', post: target.post });
    const response = await fetch(`${fake.origin}/1.0/sessions?action=create&token=tok-2&msg=hi`);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const body = await response.text();
    const id = /<id>([0-9a-f]{32})\n<\/id>/.exec(body)?.[1] ?? '';
    expect(body).toMatch(/^<session><success>true<\/success><token>tok-2<\/token><id>/);
    await fake.finished(id);
    expect(target.bodies[0]).toMatchObject({
      session: { parameters: { token: 'tok-2', action: 'create', msg: 'hi' } },
    });
  });

  it('when the token is missing or not the expected one, then Tropo refuses with a reason', async () => {
    fake = await startFakeTropo({
      startUrl: 'http://app.test/start',
      token: 'right',
      post: app(hangupOnly).post,
    });
    const missing = await fetch(`${fake.origin}/1.0/sessions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/x-www-form-urlencoded',
      },
      body: 'msg=hi',
    });
    expect(await missing.text()).toBe('success=false&reason=MISSING+TOKEN');
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    const refused = await client.createSession({ token: 'wrong' }).catch((e: unknown) => e);
    expect(isSessionApiRejectedError(refused) && refused.reason).toBe('FAILED TO ROUTE TOKEN');
    const xml = await fetch(`${fake.origin}/v1/sessions?action=create&token=wrong`);
    expect(await xml.text()).toBe(
      '<session><success>false</success><token></token><reason>FAILED TO ROUTE TOKEN</reason></session>',
    );
    expect(fake.sessionIds()).toEqual([]);
  });

  it('when a signal reaches a running session, then it is queued and interrupts the next verb that allows it', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const target = app(
      (path) =>
        path === '/start'
          ? {
              tropo: [
                { wait: { milliseconds: 60000 } },
                { on: { event: 'exit', next: '/exited' } },
              ],
            }
          : { tropo: [] },
      gate,
    );
    fake = await startFakeTropo({ startUrl: 'http://app.test/start', post: target.post });
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    const { id } = await client.createSession({ token: 'tok-3' });
    await expect(client.sendSignal(id, 'exit')).resolves.toMatchObject({ status: 'QUEUED' });
    open();
    const transcript = await fake.finished(id);
    expect(target.paths).toEqual(['/start', '/exited']);
    expect(transcript?.lines.map((l) => l.text)).toContain('Signal "exit" arrives and interrupts');
    const late = await client.sendSignal(id, 'exit').catch((e: unknown) => e);
    expect(isSessionApiNotFoundError(late)).toBe(true);
  });

  it('when asked for an unknown session or path, then it answers 404 JSON', async () => {
    fake = await startFakeTropo({ startUrl: 'http://app.test/start', post: app(hangupOnly).post });
    const unknown = await fetch(`${fake.origin}/sessions/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await fetch(`${fake.origin}/elsewhere`)).status).toBe(404);
  });
});

describe('call outcomes', () => {
  it('when a number is listed, then it meets its outcome whatever the shares say', () => {
    const rules = {
      byNumber: { '+1 407 555 0001': 'busy' as const },
      shares: { 'no-answer': 1 },
    };
    expect(outcomeFor('+14075550001', rules)).toBe('busy');
    expect(outcomeFor('+14075550002', rules)).toBe('no-answer');
    expect(outcomeFor(undefined, rules)).toBeUndefined();
    expect(outcomeFor('+14075550002', {})).toBeUndefined();
  });

  it('when shares are given, then a number always meets the same outcome and the shares hold over many numbers', () => {
    const rules = { shares: { busy: 0.1, 'no-answer': 0.1 } };
    const numbers = Array.from({ length: 2000 }, (_, i) => `+1407555${String(i).padStart(4, '0')}`);
    const first = numbers.map((n) => outcomeFor(n, rules));
    expect(numbers.map((n) => outcomeFor(n, rules))).toEqual(first);
    const count = (o: string) => first.filter((x) => x === o).length / numbers.length;
    expect(count('busy')).toBeGreaterThan(0.08);
    expect(count('busy')).toBeLessThan(0.12);
    expect(count('no-answer')).toBeGreaterThan(0.08);
    expect(count('no-answer')).toBeLessThan(0.12);
    expect(count('answer')).toBeGreaterThan(0.76);
  });

  it.each([
    ['+14075550001=busy', ['+14075550001', 'busy']],
    ['+1 407 555 0001 = No-Answer', ['+1 407 555 0001', 'no-answer']],
  ])('when --outcome %j is parsed, then it gives the number and outcome', (raw, expected) => {
    expect(parseOutcomeRule(raw)).toEqual(expected);
  });

  it.each(['busy', '=busy', '+1407=maybe'])(
    'when --outcome %j is parsed, then it is refused',
    (raw) => {
      expect(() => parseOutcomeRule(raw)).toThrow(ScriptError);
    },
  );

  it('when --outcomes is parsed, then percentages and fractions are shares and nonsense is refused', () => {
    expect(parseOutcomeShares('busy=10%,no-answer=0.05')).toEqual({ busy: 0.1, 'no-answer': 0.05 });
    expect(() => parseOutcomeShares('busy=60%,no-answer=50%')).toThrow('together');
    expect(() => parseOutcomeShares('busy=120%')).toThrow('more than 100%');
    expect(() => parseOutcomeShares('hangup=10%')).toThrow(ScriptError);
  });
});

describe('fake-tropo outcomes and the launch log', () => {
  let fake: FakeTropo | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** A reminder-like app: calls numberToDial, asks, and reports what happened through its paths. */
  const caller = () =>
    app((path) =>
      path === '/start'
        ? {
            tropo: [
              { call: { to: 'tel:+14075550000' } },
              {
                ask: {
                  name: 'confirm',
                  say: [{ value: 'Press 1' }],
                  choices: { value: '1,2', mode: 'dtmf' },
                },
              },
              { on: { event: 'continue', next: '/answered' } },
              { on: { event: 'incomplete', next: '/failed' } },
            ],
          }
        : { tropo: [{ hangup: null }] },
    );

  type Posted = { result?: { actions?: { disposition?: string; value?: string } } };

  it('when a number is busy or silent, then the call verb fails as Tropo fails it, and the rest answer with the script', async () => {
    const target = caller();
    fake = await startFakeTropo({
      startUrl: 'http://app.test/start',
      post: target.post,
      script: parseScriptArgs(['--input', '1']).script,
      outcomes: { byNumber: { '+14075550001': 'busy', '+14075550002': 'no-answer' } },
    });
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    const ids: string[] = [];
    for (const numberToDial of ['+14075550001', '+14075550002', '+14075550003']) {
      const { id } = await client.createSession({ token: 'tok', parameters: { numberToDial } });
      await fake.finished(id);
      ids.push(id);
    }
    const followUps = target.paths.filter((p) => p !== '/start');
    expect(followUps).toEqual(['/failed', '/failed', '/answered']);
    const results = target.bodies.filter((_, i) => target.paths[i] !== '/start') as Posted[];
    expect(results.map((b) => b.result?.actions?.disposition)).toEqual([
      'BUSY',
      'TIMEOUT',
      'SUCCESS',
    ]);
    expect(results[2]?.result?.actions?.value).toBe('1');

    const launches = fake.launches();
    expect(launches.map((l) => [l.sessionId, l.parameters.numberToDial, l.callOutcome])).toEqual([
      [ids[0], '+14075550001', 'busy'],
      [ids[1], '+14075550002', 'no-answer'],
      [ids[2], '+14075550003', 'answer'],
    ]);
    const served = (await (await fetch(`${fake.origin}/launches`)).json()) as FakeTropoLaunch[];
    expect(served).toEqual(launches);
    expect(Date.parse(served[0]?.at ?? '')).toBeLessThanOrEqual(Date.parse(served[2]?.at ?? ''));
  });

  it('when launches are refused or carry a token, then the log holds only accepted ones and never the token', async () => {
    fake = await startFakeTropo({
      startUrl: 'http://app.test/start',
      token: 'launch-log-secret',
      post: app(hangupOnly).post,
      maxSessions: 1,
    });
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    await client.createSession({ token: 'wrong' }).catch(() => undefined);
    for (let i = 0; i < 3; i++) {
      const { id } = await client.createSession({
        token: 'launch-log-secret',
        parameters: { n: i },
      });
      await fake.finished(id);
    }
    // Transcripts are dropped past maxSessions; the launch log keeps every launch.
    expect(fake.sessionIds().length).toBeLessThan(3);
    const text = await (await fetch(`${fake.origin}/launches`)).text();
    expect(text).not.toContain('launch-log-secret');
    const served = JSON.parse(text) as FakeTropoLaunch[];
    expect(served.map((l) => l.parameters)).toEqual([{ n: '0' }, { n: '1' }, { n: '2' }]);
  });

  it('when play is off, then launches are accepted and logged but no session is played', async () => {
    const target = app(hangupOnly);
    fake = await startFakeTropo({
      startUrl: 'http://app.test/start',
      post: target.post,
      play: false,
    });
    const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
    const before = Date.now();
    const { id } = await client.createSession({
      token: 'tok',
      parameters: { numberToDial: '+1407' },
    });
    expect(fake.launches()).toMatchObject([
      { sessionId: id, parameters: { numberToDial: '+1407' } },
    ]);
    expect(Date.parse(fake.launches()[0]?.at ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(target.paths).toEqual([]);
    expect(fake.sessionIds()).toEqual([]);
  });
});
