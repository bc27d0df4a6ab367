/**
 * Fixed hostile cases the fuzzer found or the issue names: malformed paths, methods Express would
 * answer in text, untrusted Session API parameters, and caller IDs that are not numbers.
 */
import request from 'supertest';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

const JSON_UTF8 = 'application/json; charset=utf-8';
type SessionBody = {
  session: {
    parameters: Record<string, unknown>;
    from?: Record<string, unknown>;
    to?: Record<string, unknown>;
  };
};

describe('hostile paths and methods', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ RELAY_TO: '+14155550199' });
  });
  afterEach(() => t.close());

  it.each([
    ['post', '/apps/%E0%A4%A/start'],
    ['post', '/apps/ivr-menu/on/%ff'],
    ['post', '/apps/%/on/choice'],
    ['get', '/apps/%C0%AF%.json'],
    ['post', '/apps/%zz.json'],
    ['options', '/apps/%E0%A4%A/start'],
  ] as const)(
    'when %s %s has a malformed percent-encoding, then 400 PATH_INVALID as JSON',
    async (method, path) => {
      const res = await request(t.app)[method](path).send({});
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body.error.code).toBe('PATH_INVALID');
      // Never logged as an unexpected error: it is the caller's mistake.
      expect(t.logs().filter((l) => l.level === 'error')).toEqual([]);
    },
  );

  it.each([
    '/start',
    '/apps/ivr-menu/start',
    '/apps/ivr-menu/on/choice',
    '/api/sessions',
    '/apps/quickstart.json',
    '/',
  ])(
    "when OPTIONS %s, then the JSON 404 rather than Express's text list of methods",
    async (path) => {
      const res = await request(t.app).options(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.headers.allow).toBeUndefined();
      expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    },
  );

  it.each(['put', 'delete', 'patch', 'head'] as const)(
    'when %s /start, then the JSON 404',
    async (method) => {
      const req = request(t.app)[method]('/start');
      const res = method === 'head' ? await req : await req.send({});
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
    },
  );
});

describe('untrusted Session API parameters', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ RELAY_TO: '+14155550199' });
  });
  afterEach(() => t.close());

  const withParameters = (parameters: Record<string, unknown>, name = 'reminder-session.json') => {
    const body = fixture<SessionBody>(`requests/${name}`);
    Object.assign(body.session.parameters, parameters);
    return body;
  };

  it.each([
    '../../x',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'quickstart/../ivr-menu',
    'IVR-MENU',
    '',
  ])('when app=%j, then nothing is selected', async (app) => {
    const res = await request(t.app).post('/start').send(withParameters({ app }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_APP');
  });

  it.each([
    ['a word', 'call me'],
    ['a URL', 'sip:attacker@example.com'],
    ['too many digits', '1'.repeat(30)],
    ['an SSML fragment', '<speak>1</speak>'],
    ['a JSON object', { number: '+14075551212' }],
  ])('when numberToDial is %s, then no call is made', async (_what, numberToDial) => {
    const res = await request(t.app).post('/start').send(withParameters({ numberToDial }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
  });

  it('when an SMS is longer than ten segments, then nothing is sent', async () => {
    const res = await request(t.app)
      .post('/start')
      .send(withParameters({ msg: 'x'.repeat(1601) }, 'sms-relay-session.json'));
    expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
    expect(t.logs().find((l) => l.code === 'APP_PARAMS_INVALID')).toBeDefined();
  });

  it('when an SMS is exactly ten segments, then it is sent whole', async () => {
    const msg = 'x'.repeat(1600);
    const res = await request(t.app)
      .post('/start')
      .send(withParameters({ msg }, 'sms-relay-session.json'));
    expect(res.body.tropo[0].message.say[0].value).toBe(msg);
    expect(t.logs().find((l) => l.msg === 'sending a text')).toMatchObject({ segments: 10 });
  });

  it.each([
    '../../../../etc/passwd',
    '${process.env.API_KEY}',
    '{{constructor.constructor("return process")()}}',
    '%s%s%s%n',
    '#{7*7} <%= 7*7 %>',
  ])(
    'when msg is %j, then it is sent as plain text, never read as a path or template',
    async (msg) => {
      const res = await request(t.app)
        .post('/start')
        .send(withParameters({ msg }, 'sms-relay-session.json'));
      expect(res.status).toBe(200);
      const texts = (res.body.tropo as { message?: { say: { value: string }[] } }[]).flatMap(
        (v) => v.message?.say.map((s) => s.value) ?? [],
      );
      // `<%= … %>` holds markup characters, which plain text refuses: then nothing is sent at all.
      if (/[<>]/.test(msg)) expect(texts).toEqual([]);
      else expect(texts).toEqual([msg]);
    },
  );
});

describe('caller IDs of inbound texts', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ RELAY_TO: '+14155550199' });
  });
  afterEach(() => t.close());

  const inbound = (from: Record<string, unknown>, to: Record<string, unknown>) => {
    const body = fixture<SessionBody>('requests/inbound-text-session.json');
    body.session.from = { ...body.session.from, ...from };
    body.session.to = { ...body.session.to, ...to };
    return body;
  };

  it('when our number in the session is not a phone number, then the relay sends without a from', async () => {
    const res = await request(t.app)
      .post('/start')
      .send(inbound({}, { id: 'x'.repeat(5000), e164Id: '<script>' }));
    expect(res.status).toBe(200);
    const message = res.body.tropo[0].message;
    expect(message.to).toEqual(['+14155550199']);
    expect(message.from).toBeUndefined();
  });

  it('when the sender is not a number nor a short id, then it is relayed as unknown', async () => {
    const res = await request(t.app)
      .post('/start')
      .send(inbound({ id: 'http://evil.example/a.wav', e164Id: 'http://evil.example/a.wav' }, {}));
    expect(res.body.tropo[0].message.say[0].value).toBe('unknown: Running 10 minutes late');
  });

  it('when the sender is a short code, then it is relayed as it is', async () => {
    const res = await request(t.app)
      .post('/start')
      .send(inbound({ id: '72345', e164Id: '72345' }, {}));
    expect(res.body.tropo[0].message.say[0].value).toBe('72345: Running 10 minutes late');
  });
});
