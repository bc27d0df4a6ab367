import request from 'supertest';
import { defineApp } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp, staticApp } from '../../src/server/registry';
import { hangup, say } from '../../src/tropo';
import { expectGolden } from '../helpers/golden';
import { buildTestApp, fixture, fixtureText, type TestApp } from '../helpers/test-app';

type ReminderBody = { session: { parameters: Record<string, string> } };

const JSON_UTF8 = 'application/json; charset=utf-8';
const REMINDER_TOKEN =
  '09db1e64c7db4045a459606daae7794c158f859b2e321ab908eda9bb2c362ff3555c69d496c5aa48008f6543';

describe('Tropo routes', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ RELAY_TO: '+14155550199' });
  });
  afterEach(() => t.close());

  describe('POST /start', () => {
    it('when the seed session arrives, then answers call + say for the reminder as JSON utf-8', async () => {
      const res = await request(t.app)
        .post('/start')
        .send(fixture('requests/reminder-session.json'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
      expectGolden('reminder-start', res.text);
      expect(res.body.tropo[0]).toEqual({ call: { to: ['tel:+14075551212'] } });
    });

    it('when the session names app=sms-relay, then answers a text message', async () => {
      const res = await request(t.app)
        .post('/start')
        .send(fixture('requests/sms-relay-session.json'));
      expect(res.status).toBe(200);
      expectGolden('sms-relay-outbound', res.text);
    });

    it('when an inbound text arrives, then the default text app relays it to RELAY_TO', async () => {
      const res = await request(t.app)
        .post('/start')
        .send(fixture('requests/inbound-text-session.json'));
      expect(res.status).toBe(200);
      expectGolden('sms-relay-inbound', res.text);
    });

    it('when Tropo sends an odd content type, then the JSON body is still read', async () => {
      const res = await request(t.app)
        .post('/start')
        .set('content-type', 'text/plain')
        .send(fixtureText('requests/reminder-session.json'));
      expect(res.status).toBe(200);
      expect(res.body.tropo).toHaveLength(4);
    });

    it('when the session names an unknown app, then 404 JSON', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      body.session.parameters.app = '../../etc/passwd';
      const res = await request(t.app).post('/start').send(body);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_APP');
    });

    it('when app=__proto__, then nothing is selected', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      body.session.parameters.app = '__proto__';
      const res = await request(t.app).post('/start').send(body);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_APP');
    });

    it('when the session names a static app, then its document is served', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      body.session.parameters.app = 'quickstart';
      const res = await request(t.app).post('/start').send(body);
      expect(res.status).toBe(200);
      expect(res.body.tropo[0]).toEqual({ call: { to: 'tel:+14075551212' } });
    });
  });

  describe('the appointment reminder', () => {
    it('when confirm=true, then asks to confirm and points continue/incomplete at its handlers', async () => {
      const res = await request(t.app)
        .post('/apps/appointment-reminder/start')
        .send(fixture('requests/reminder-confirm-session.json'));
      expect(res.status).toBe(200);
      expectGolden('reminder-confirm-start', res.text);
    });

    it.each([
      ['confirm-pressed-1-result.json', 'reminder-confirmed', /is confirmed/],
      ['confirm-pressed-2-result.json', 'reminder-cancelled', /is cancelled/],
    ])(
      'when the callee answers (%s), then repeats the message and the outcome',
      async (result, golden, outcome) => {
        await request(t.app)
          .post('/apps/appointment-reminder/start')
          .send(fixture('requests/reminder-confirm-session.json'))
          .expect(200);
        const res = await request(t.app)
          .post('/apps/appointment-reminder/on/confirm')
          .send(fixture(`requests/${result}`));
        expect(res.status).toBe(200);
        expectGolden(golden, res.text);
        const spoken = JSON.stringify(res.body);
        expect(spoken).toContain('Your dental appointment is tomorrow at 10 AM');
        expect(spoken).toMatch(outcome);
        expect(res.body.tropo.at(-1)).toEqual({ hangup: {} });
      },
    );

    it('when the ask ends incomplete, then it ends politely', async () => {
      const res = await request(t.app)
        .post('/apps/appointment-reminder/on/incomplete')
        .send(fixture('requests/confirm-timeout-result.json'));
      expect(res.status).toBe(200);
      expectGolden('reminder-incomplete', res.text);
    });

    it('when numberToDial is missing, then no call is made: a safe document and an error log line', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      delete body.session.parameters.numberToDial;
      const res = await request(t.app).post('/start').send(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
      const line = t.logs().find((l) => l.code === 'APP_PARAMS_INVALID');
      expect(line).toMatchObject({ level: 'error', app: 'appointment-reminder' });
      expect(JSON.stringify(line)).toContain('parameters.numberToDial');
      expect(res.headers['x-error-id']).toBe(line?.errorId);
    });

    it('when numberToDial is not a phone number, then no call is made', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      body.session.parameters.numberToDial = 'call me maybe';
      const res = await request(t.app).post('/start').send(body);
      expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
    });

    it('when msg is a URL, then it is refused rather than played as audio', async () => {
      const body = fixture<ReminderBody>('requests/reminder-session.json');
      body.session.parameters.msg = 'http://example.com/evil.wav';
      const res = await request(t.app).post('/start').send(body);
      expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
    });
  });

  describe('the SMS relay without RELAY_TO', () => {
    it('when an inbound text arrives, then it sends nothing and logs why', async () => {
      const bare = buildTestApp({});
      const res = await request(bare.app)
        .post('/start')
        .send(fixture('requests/inbound-text-session.json'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
      expect(bare.logs().some((l) => l.code === 'RELAY_TO_UNSET' && l.level === 'error')).toBe(
        true,
      );
      await bare.close();
    });
  });

  describe('the IVR menu', () => {
    it('when a call comes in, then asks for a department with continue/incomplete/hangup handlers', async () => {
      const res = await request(t.app)
        .post('/apps/ivr-menu/start')
        .send(fixture('requests/inbound-voice-session.json'));
      expectGolden('ivr-menu-start', res.text);
    });

    it('when the caller chose support, then reads the result by action name', async () => {
      const res = await request(t.app)
        .post('/apps/ivr-menu/on/choice')
        .send(fixture('requests/ivr-choice-result.json'));
      expectGolden('ivr-menu-support', res.text);
    });

    it('when the caller hung up, then the handler answers a hangup', async () => {
      const res = await request(t.app)
        .post('/apps/ivr-menu/on/hangup')
        .send(fixture('requests/ivr-hangup-result.json'));
      expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
    });
  });

  describe('static apps', () => {
    it.each(['get', 'post'] as const)(
      'when %s /apps/quickstart.json, then the seed quick start exactly',
      async (method) => {
        const res = await request(t.app)[method]('/apps/quickstart.json');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe(JSON_UTF8);
        expect(res.body).toEqual({
          tropo: [
            { call: { to: 'tel:+14075551212' } },
            { say: [{ value: 'Remember, you have a meeting at 2 PM', voice: 'kate' }] },
          ],
        });
      },
    );

    it('when the static app does not exist, then 404 JSON', async () => {
      const res = await request(t.app).get('/apps/nope.json');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    });
  });

  describe('operator routes', () => {
    it('when GET /apps, then lists every app with its routes', async () => {
      const res = await request(t.app).get('/apps');
      expect(res.status).toBe(200);
      const names = (res.body.apps as { name: string }[]).map((a) => a.name);
      // The shipped apps are there; an app added under apps/ may be too (never pin the list).
      expect(names).toEqual(
        expect.arrayContaining(['appointment-reminder', 'ivr-menu', 'quickstart', 'sms-relay']),
      );
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      const reminder = (res.body.apps as { name: string; routes: string[] }[]).find(
        (a) => a.name === 'appointment-reminder',
      );
      expect(reminder?.routes).toContain('POST /apps/appointment-reminder/on/confirm');
    });

    it('when GET /healthz and /readyz, then both answer 200', async () => {
      await request(t.app).get('/healthz').expect(200, { status: 'ok' });
      await request(t.app).get('/readyz').expect(200, { ready: true, reasons: [] });
    });
  });

  describe('bodies Tropo would never send', () => {
    it('when the body is broken JSON, then 400 BODY_NOT_JSON', async () => {
      const res = await request(t.app)
        .post('/start')
        .set('content-type', 'application/json')
        .send('{"session":');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body.error.code).toBe('BODY_NOT_JSON');
    });

    it('when the body lacks a session, then 400 NOT_A_SESSION with issues', async () => {
      const res = await request(t.app).post('/start').send({ hello: 'world' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('NOT_A_SESSION');
      expect(res.body.error.issues.length).toBeGreaterThan(0);
    });

    it('when the body is empty, then 400 NOT_A_SESSION', async () => {
      const res = await request(t.app).post('/start');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('NOT_A_SESSION');
    });

    it('when a result lacks a result, then 400 NOT_A_RESULT', async () => {
      const res = await request(t.app)
        .post('/apps/ivr-menu/on/choice')
        .send(fixture('requests/inbound-voice-session.json'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('NOT_A_RESULT');
    });

    it('when the app is unknown, then 404 UNKNOWN_APP', async () => {
      const res = await request(t.app)
        .post('/apps/nope/start')
        .send(fixture('requests/reminder-session.json'));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_APP');
    });

    it.each(['nope', '__proto__', 'constructor', 'hasOwnProperty'])(
      'when the handler is %s, then 404 UNKNOWN_HANDLER',
      async (handler) => {
        const res = await request(t.app)
          .post(`/apps/ivr-menu/on/${handler}`)
          .send(fixture('requests/ivr-choice-result.json'));
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('UNKNOWN_HANDLER');
      },
    );

    it('when the path is unknown, then 404 JSON', async () => {
      const res = await request(t.app).post('/nowhere').send({});
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    });

    it('when the body is over the limit, then 413 JSON', async () => {
      const res = await request(t.app)
        .post('/start')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ session: { pad: 'x'.repeat(200 * 1024) } }));
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('BODY_TOO_LARGE');
    });

    it('when the body has an unsupported encoding, then 415 JSON', async () => {
      const res = await request(t.app)
        .post('/start')
        .set('content-type', 'application/json')
        .set('content-encoding', 'compress')
        .send('{}');
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('BODY_UNSUPPORTED_ENCODING');
    });
  });
});

describe('apps that fail', () => {
  const session = fixture('requests/inbound-voice-session.json');

  function appWith(start: () => unknown, env: Record<string, string> = {}): TestApp {
    const failing = defineApp({
      name: 'failing',
      description: 'fails',
      channels: ['voice'],
      start: start as never,
    });
    return buildTestApp(
      { APP_TIMEOUT_MS: '100', ...env },
      { registry: new AppRegistry([moduleApp(failing)]) },
    );
  }

  async function expectFallback(t: TestApp, code: string) {
    const started = Date.now();
    const res = await request(t.app).post('/apps/failing/start').send(session);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tropo: [{ say: [{ value: t.config.fallback.voiceMessage }] }, { hangup: {} }],
    });
    const line = t.logs().find((l) => l.code === code);
    expect(line).toMatchObject({
      level: 'error',
      sessionId: '98f3a0633f854e4aad70abe26ce4e99f',
      app: 'failing',
    });
    expect(typeof line?.errorId).toBe('string');
    await t.close();
    return Date.now() - started;
  }

  it('when the app throws, then the fallback document and APP_THREW', async () => {
    await expectFallback(
      appWith(() => {
        throw new Error('boom');
      }),
      'APP_THREW',
    );
  });

  it('when the app rejects, then the fallback document and APP_THREW', async () => {
    await expectFallback(
      appWith(() => Promise.reject(new Error('async boom'))),
      'APP_THREW',
    );
  });

  it('when the app never answers, then the fallback once APP_TIMEOUT_MS passes', async () => {
    // The app never settles, so only the server's timer can answer: the APP_TIMEOUT line shows it
    // did, and jest's own timeout catches a server that would wait forever. No upper bound.
    const elapsed = await expectFallback(
      appWith(() => new Promise(() => undefined)),
      'APP_TIMEOUT',
    );
    expect(elapsed).toBeGreaterThanOrEqual(100 - 5);
  });

  it('when the app returns an invalid document, then the fallback and the problems logged', async () => {
    const t = appWith(() => [say({ value: 'ok' }), { bogus: {} }]);
    await expectFallback(t, 'APP_INVALID_DOCUMENT');
    expect(JSON.stringify(t.logs().find((l) => l.code === 'APP_INVALID_DOCUMENT'))).toContain(
      'tropo[1]',
    );
  });

  it('when the app returns something that is not an array, then the fallback', async () => {
    await expectFallback(
      appWith(() => ({ tropo: 'nope' })),
      'APP_INVALID_DOCUMENT',
    );
  });

  it('when FALLBACK_VOICE is set, then the apology uses it', async () => {
    const t = appWith(
      () => {
        throw new Error('x');
      },
      { FALLBACK_VOICE: 'kate' },
    );
    const res = await request(t.app).post('/apps/failing/start').send(session);
    expect(res.body.tropo[0]).toEqual({
      say: [{ value: t.config.fallback.voiceMessage, voice: 'kate' }],
    });
    await t.close();
  });

  it('when a text session fails, then the text fallback is silent unless configured', async () => {
    const failing = defineApp({
      name: 'failing',
      description: 'fails',
      channels: ['text'],
      start: () => {
        throw new Error('x');
      },
    });
    const t = buildTestApp(
      { FALLBACK_TEXT_MESSAGE: 'Sorry, try later.' },
      { registry: new AppRegistry([moduleApp(failing)]) },
    );
    const res = await request(t.app)
      .post('/apps/failing/start')
      .send(fixture('requests/inbound-text-session.json'));
    expect(res.body).toEqual({
      tropo: [{ say: [{ value: 'Sorry, try later.' }] }, { hangup: {} }],
    });
    await t.close();
  });
});

describe('static documents at start-up', () => {
  it('when a static document is invalid, then registering it fails naming the path and problems', () => {
    expect(() => staticApp('broken', { tropo: [{ say: {} }] }, 'apps/broken.json')).toThrow(
      /apps\/broken\.json[\s\S]*tropo\[0\]\.say/,
    );
  });

  it('when a static document is valid, then it is served as registered', async () => {
    const t = buildTestApp(
      {},
      {
        registry: new AppRegistry([
          staticApp('hello', { tropo: [say({ value: 'hi' }), hangup()] }),
        ]),
      },
    );
    const res = await request(t.app).get('/apps/hello.json');
    expect(res.body).toEqual({ tropo: [{ say: [{ value: 'hi' }] }, { hangup: {} }] });
    await t.close();
  });
});

describe('logs', () => {
  it('when a session carries a token, then no log line contains it, and each request has one line', async () => {
    const t = buildTestApp({ LOG_LEVEL: 'debug' });
    const snoop = defineApp({
      name: 'snoop',
      description: 'logs what it gets',
      channels: ['voice'],
      start: (ctx) => {
        ctx.log.info({ session: ctx.session, params: ctx.params }, 'what I got');
        return [hangup()];
      },
    });
    const withSnoop = buildTestApp({}, { registry: new AppRegistry([moduleApp(snoop)]) });
    for (const app of [t.app, withSnoop.app]) {
      await request(app).post('/start').send(fixture('requests/reminder-session.json'));
      await request(app).post('/apps/snoop/start').send(fixture('requests/reminder-session.json'));
      await request(app)
        .post('/apps/appointment-reminder/start')
        .set('authorization', `Bearer ${REMINDER_TOKEN}`)
        .send('{"session":');
    }
    for (const logs of [t.rawLogs(), withSnoop.rawLogs()]) {
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain(REMINDER_TOKEN);
    }
    const requests = t.logs().filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      route: '/start',
      status: 200,
      app: 'appointment-reminder',
      sessionId: '3010a200d38c2e2ae99ac9e1dcd6ec39',
    });
    expect(typeof requests[0]?.durationMs).toBe('number');
    await t.close();
    await withSnoop.close();
  });

  it('when an app logs secrets through ctx.log, then its line carries the session and hides them', async () => {
    const leaky = defineApp({
      name: 'leaky',
      description: 'logs a token it should not',
      channels: ['voice'],
      start: (ctx) => {
        ctx.log.info({ token: 'SECRET-1', launch: { token: 'SECRET-2' } }, 'oops');
        return [hangup()];
      },
    });
    const t = buildTestApp({}, { registry: new AppRegistry([moduleApp(leaky)]) });
    await request(t.app).post('/apps/leaky/start').send(fixture('requests/reminder-session.json'));
    expect(t.rawLogs()).not.toMatch(/SECRET-[12]/);
    const line = t.logs().find((l) => l.msg === 'oops');
    expect(line).toMatchObject({ app: 'leaky', token: '[redacted]' });
    expect(typeof line?.sessionId).toBe('string');
    await t.close();
  });
});
