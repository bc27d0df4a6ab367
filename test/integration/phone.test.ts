/**
 * The browser phone's routes: off by default (404), the page and its files with a strict CSP,
 * the API key, the launch form, and whole sessions over the event stream against the real server.
 */
import request from 'supertest';
import { startRunningServer, type RunningServer } from '../helpers/running-server';
import { PLANTED } from '../helpers/secret-scan';
import { buildTestApp } from '../helpers/test-app';
import { startPhoneCall } from '../helpers/phone-client';
import { waitFor } from '../helpers/wait-for';

describe('the phone page', () => {
  it('when PHONE_UI is not set, then /phone is the JSON 404 of any unknown path', async () => {
    const { app, close } = buildTestApp({});
    const res = await request(app).get('/phone');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    await request(app).post('/phone/api/sessions').send({}).expect(404);
    await close();
  });

  it('when PHONE_UI=on, then the page and its script and style are served, from this origin only', async () => {
    const { app, close } = buildTestApp({ PHONE_UI: 'on', HOST: '127.0.0.1' });
    const page = await request(app).get('/phone').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(
      /default-src 'none'; script-src 'self'/,
    );
    expect(page.text).toContain('data-testid="app-select"');
    // Self-contained: nothing is fetched from another origin.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await request(app).get('/phone/phone.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    await request(app)
      .get('/phone/phone.css')
      .expect('content-type', /text\/css/)
      .expect(200);
    await close();
  });

  it('when API_KEY is set, then the API needs it as a bearer key and the page itself does not', async () => {
    const { app, close } = buildTestApp({ PHONE_UI: 'on', API_KEY: PLANTED.apiKey });
    await request(app).get('/phone').expect(200);
    const refused = await request(app).get('/phone/api/check').expect(401);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
    await request(app).post('/phone/api/sessions').send({}).expect(401);
    await request(app)
      .get('/phone/api/check')
      .set('authorization', 'Bearer not-the-key')
      .expect(401);
    const ok = await request(app)
      .get('/phone/api/check')
      .set('authorization', `Bearer ${PLANTED.apiKey}`)
      .expect(200);
    expect(ok.body).toEqual({ ok: true, keyRequired: true });
    await close();
  });

  it('when API_KEY is not set, then the API answers only requests addressed to a loopback name (no DNS rebinding)', async () => {
    const { app, close } = buildTestApp({ PHONE_UI: 'on', HOST: '127.0.0.1' });
    for (const host of [
      'evil.example',
      'evil.example:3000',
      '192.168.1.20:3000',
      '127.0.0.1.evil.example',
    ]) {
      const refused = await request(app).get('/phone/api/check').set('host', host).expect(403);
      expect(refused.body.error.code).toBe('PHONE_NOT_LOOPBACK');
      await request(app).post('/phone/api/sessions').set('host', host).send({}).expect(403);
    }
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST']) {
      await request(app).get('/phone/api/check').set('host', host).expect(200);
    }
    // With a key, the key decides whatever the name.
    await close();
    const keyed = buildTestApp({ PHONE_UI: 'on', API_KEY: PLANTED.apiKey });
    await request(keyed.app)
      .get('/phone/api/check')
      .set('host', 'phone.example.com')
      .set('authorization', `Bearer ${PLANTED.apiKey}`)
      .expect(200);
    await keyed.close();
  });

  it("when the page asks for an app's launch form, then it gets the params schema as JSON Schema (input side)", async () => {
    const { app, close } = buildTestApp({ PHONE_UI: 'on', HOST: '127.0.0.1' });
    const res = await request(app).get('/phone/api/apps/appointment-reminder/params').expect(200);
    expect(res.body.schema.required).toEqual(expect.arrayContaining(['numberToDial', 'msg']));
    expect(res.body.schema.properties.confirm.enum).toEqual(['true', 'false']);
    const none = await request(app).get('/phone/api/apps/ivr-menu/params').expect(200);
    expect(none.body.schema).toBeNull();
    const unknown = await request(app).get('/phone/api/apps/nope/params').expect(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_APP');
    await close();
  });

  it('when a start request is malformed or names no app, then it is refused with the issue', async () => {
    const { app, close } = buildTestApp({ PHONE_UI: 'on', HOST: '127.0.0.1' });
    const bad = await request(app).post('/phone/api/sessions').send({ mode: 'fax' }).expect(400);
    expect(bad.body.error.code).toBe('PHONE_REQUEST_INVALID');
    const unknown = await request(app)
      .post('/phone/api/sessions')
      .send({ mode: 'call', app: 'nope', from: '+14075550100', to: '+14075550199' })
      .expect(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_APP');
    await request(app)
      .post('/phone/api/sessions/no-such-session/hangup')
      .expect(404)
      .expect((res) => expect(res.body.error.code).toBe('PHONE_SESSION_NOT_FOUND'));
    await close();
  });
});

describe('phone sessions over the event stream', () => {
  let server: RunningServer;
  const auth = { authorization: `Bearer ${PLANTED.apiKey}` };

  beforeAll(async () => {
    server = await startRunningServer({ PHONE_UI: 'on', RELAY_TO: '+14075550142' });
  });
  afterAll(() => server.close());

  it('when the caller presses a wrong key and then says a choice, then the IVR follows it to the end', async () => {
    const call = await startPhoneCall(
      server.url,
      { mode: 'call', app: 'ivr-menu', from: '+14075550100', to: '+14075550199' },
      auth,
    );
    const first = await call.question();
    expect(first.question).toMatchObject({ kind: 'ask', channel: 'VOICE', timeout: 7 });
    expect((await call.reply(first.id, { kind: 'ask', via: 'dtmf', text: '9' })).status).toBe(204);
    const second = await call.question();
    expect(second.question).toMatchObject({ kind: 'ask', attempt: 2 });
    // The first question is no longer waiting.
    expect((await call.reply(first.id, { kind: 'ask', via: 'dtmf', text: '1' })).status).toBe(409);
    await call.reply(second.id, { kind: 'ask', via: 'speech', text: 'sales' });
    const ended = await call.ended;
    expect(ended.outcome?.status).toBe('completed');
    expect(call.texts()).toEqual(
      expect.arrayContaining([
        'Tropo says: Sorry, I did not understand.',
        'Caller says "sales"',
        expect.stringMatching(/^Tropo says: You chose sales\./),
      ]),
    );
    expect(call.events.filter((e) => e.type === 'exchange').length).toBeGreaterThanOrEqual(2);
  });

  it('when the reminder is launched with confirm=true, then the page answers the call for the callee and presses 1', async () => {
    const call = await startPhoneCall(
      server.url,
      {
        mode: 'launch',
        app: 'appointment-reminder',
        params: {
          numberToDial: '+14075550123',
          msg: 'Your appointment is tomorrow',
          confirm: 'true',
        },
      },
      auth,
    );
    const ring = await call.question();
    expect(ring.question).toMatchObject({ kind: 'leg', verb: 'call', to: '+14075550123' });
    await call.reply(ring.id, { kind: 'leg', outcome: 'answer' });
    const ask = await call.question();
    await call.reply(ask.id, { kind: 'ask', via: 'dtmf', text: '1' });
    await call.ended;
    expect(call.texts()).toContainEqual(expect.stringMatching(/Your appointment is confirmed/));
  });

  it('when the page goes away during an ask, then the session is hung up and the app hears it', async () => {
    const call = await startPhoneCall(
      server.url,
      { mode: 'call', app: 'ivr-menu', from: '+14075550100', to: '+14075550199' },
      auth,
    );
    await call.question();
    call.abort();
    await waitFor(
      () => server.logs().some((l) => l.msg === 'caller hung up during the menu'),
      'the hangup handler to run',
      10_000,
    );
  });
});
