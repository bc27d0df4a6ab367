import request from 'supertest';
import { createSessionApiClient } from '../../src/session-api';
import { startStubTropo, type StubTropo } from '../helpers/stub-tropo';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const API_KEY = 'k3y-for-tests-0123456789';
const TOKEN = 'tok-6a1f0c9e5b7d4e2f8a3c1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f';
const GOOD = {
  app: 'appointment-reminder',
  parameters: { numberToDial: '14075551212', msg: 'See you at 2 PM' },
};

describe('POST /api/sessions', () => {
  let stub: StubTropo;
  let t: TestApp;

  beforeEach(async () => {
    stub = await startStubTropo();
    t = buildTestApp(
      { API_KEY, TROPO_TOKEN: TOKEN, TROPO_API_URL: stub.baseUrl },
      {
        sessionApi: createSessionApiClient({
          baseUrl: stub.baseUrl,
          retries: 1,
          backoffMs: 1,
          timeoutMs: 2000,
        }),
      },
    );
  });
  afterEach(async () => {
    await t.close();
    await stub.close();
  });

  const launch = (body: unknown, key: string | null = API_KEY) => {
    const req = request(t.app).post('/api/sessions');
    if (key !== null) void req.set('authorization', `Bearer ${key}`);
    return req.send(body as object);
  };

  it('when the key and parameters are good, then launches with the app token and answers the id', async () => {
    stub.answer({
      body: '<session><success>true</success><token>x</token><id>aadfg3Aa321gdc8e628df2\n</id></session>',
    });
    const res = await launch(GOOD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'aadfg3Aa321gdc8e628df2' });
    expect(stub.requests).toHaveLength(1);
    const sent = stub.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).not.toContain(TOKEN);
    expect(JSON.parse(sent.body)).toEqual({
      token: TOKEN,
      numberToDial: '14075551212',
      msg: 'See you at 2 PM',
      app: 'appointment-reminder',
    });
  });

  it('when an app has its own token, then that token is used', async () => {
    await t.close();
    t = buildTestApp(
      { API_KEY, TROPO_TOKEN: TOKEN, TROPO_TOKEN_SMS_RELAY: 'sms-token-123' },
      { sessionApi: createSessionApiClient({ baseUrl: stub.baseUrl, retries: 0 }) },
    );
    stub.answer({ body: '{"success":true,"token":"x","id":"abc123"}' });
    const res = await launch({
      app: 'sms-relay',
      parameters: { numberToDial: '14075551212', msg: 'hi' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(stub.requests[0]!.body).token).toBe('sms-token-123');
  });

  it('when there is no Authorization header, then 401 and nothing is launched', async () => {
    const res = await launch(GOOD, null);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(stub.requests).toHaveLength(0);
  });

  it('when the key is wrong, then 401', async () => {
    const res = await launch(GOOD, `${API_KEY}x`);
    expect(res.status).toBe(401);
    expect(stub.requests).toHaveLength(0);
  });

  it('when the parameters do not fit the app, then 400 listing each and nothing is launched', async () => {
    const res = await launch({
      app: 'appointment-reminder',
      parameters: { numberToDial: 'nope', token: 'sneaky' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('LAUNCH_INVALID');
    const paths = (res.body.error.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['parameters.msg', 'parameters.numberToDial', 'parameters.token']);
    expect(stub.requests).toHaveLength(0);
  });

  it('when the body is not a launch request, then 400', async () => {
    const res = await launch({ parameters: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('LAUNCH_INVALID');
  });

  it('when the app is unknown, then 404', async () => {
    const res = await launch({ app: 'nope', parameters: {} });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_APP');
  });

  it('when Tropo rejects, then 502 with its reason', async () => {
    stub.answer({
      body: '<session><success>false</success><token></token><reason>FAILED TO ROUTE TOKEN</reason></session>',
    });
    const res = await launch(GOOD);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      code: 'SESSION_API_REJECTED',
      reason: 'FAILED TO ROUTE TOKEN',
    });
  });

  it('when Tropo fails twice, then 502 SESSION_API_FAILED', async () => {
    stub.answer({ status: 500, body: 'oops' }, { status: 503, body: 'still' });
    const res = await launch(GOOD);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('SESSION_API_FAILED');
  });

  it('when anything happens, then the token and key never reach a log line or an answer', async () => {
    stub.answer({ body: '<session><success>false</success><reason>nope</reason></session>' });
    const answers = [
      await launch(GOOD),
      await launch(GOOD, 'wrong'),
      await launch({ app: 'x', parameters: { token: TOKEN } }),
    ];
    for (const res of answers) {
      expect(res.text).not.toContain(TOKEN);
      expect(res.text).not.toContain(API_KEY);
    }
    expect(t.rawLogs()).not.toContain(TOKEN);
    expect(t.rawLogs()).not.toContain(API_KEY);
  });
});

describe('POST /api/sessions without API_KEY or token', () => {
  it('when API_KEY is unset, then the route answers 404 API_DISABLED', async () => {
    const t = buildTestApp({ TROPO_TOKEN: TOKEN });
    const res = await request(t.app)
      .post('/api/sessions')
      .set('authorization', 'Bearer x')
      .send(GOOD);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('API_DISABLED');
    await t.close();
  });

  it('when no token is configured, then 503 TOKEN_MISSING', async () => {
    const t = buildTestApp({ API_KEY });
    const res = await request(t.app)
      .post('/api/sessions')
      .set('authorization', `Bearer ${API_KEY}`)
      .send(GOOD);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('TOKEN_MISSING');
    await t.close();
  });
});
