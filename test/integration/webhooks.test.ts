import request from 'supertest';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

const SECRET = 'we6Zs-0m3-l0ng+secret/with&odd=chars';
const KEY = `key=${encodeURIComponent(SECRET)}`;
const JSON_UTF8 = 'application/json; charset=utf-8';

type Doc = { tropo: Record<string, { event?: string; next?: string }>[] };
type ResultBody = { result: { sessionId: string } };

/** The `next` URL of the document's `on` handler for `event`. */
function nextOf(doc: Doc, event: string): string {
  const next = doc.tropo.map((verb) => verb.on).find((o) => o?.event === event)?.next;
  if (next === undefined) throw new Error(`no on ${event} with a next URL`);
  return next;
}

/** Starts the IVR menu with the key and answers its continuation URL for `continue`. */
async function startMenu(t: TestApp): Promise<string> {
  const res = await request(t.app)
    .post(`/apps/ivr-menu/start?${KEY}`)
    .send(fixture('requests/inbound-voice-session.json'))
    .expect(200);
  return nextOf(res.body as Doc, 'continue');
}

describe('WEBHOOK_SECRET', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ WEBHOOK_SECRET: SECRET, API_KEY: 'api-key-for-tests' });
  });
  afterEach(() => t.close());

  it.each([
    ['POST', '/start'],
    ['POST', '/apps/ivr-menu/start'],
    ['POST', '/apps/ivr-menu/on/choice'],
    ['GET', '/apps/quickstart.json'],
    ['POST', '/apps/quickstart.json'],
  ])(
    'when %s %s comes without the key, then 401 JSON before the body is read',
    async (method, path) => {
      const call = method === 'GET' ? request(t.app).get(path) : request(t.app).post(path);
      const res = await call.set('content-type', 'application/json').send('{not json');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body.error.code).toBe('WEBHOOK_UNAUTHORIZED');
    },
  );

  it.each([
    ['a wrong key', 'key=not-the-secret-at-all'],
    ['the key twice', `${KEY}&${KEY}`],
    ['an empty key', 'key='],
  ])('when the key is %s, then 401', async (_what, query) => {
    const res = await request(t.app)
      .post(`/start?${query}`)
      .send(fixture('requests/inbound-voice-session.json'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WEBHOOK_UNAUTHORIZED');
  });

  it('when the key is right, then the session starts and every next URL carries key and sig', async () => {
    const res = await request(t.app)
      .post(`/apps/ivr-menu/start?${KEY}`)
      .send(fixture('requests/inbound-voice-session.json'));
    expect(res.status).toBe(200);
    for (const event of ['continue', 'incomplete', 'hangup']) {
      const next = new URL(nextOf(res.body as Doc, event), 'http://tropo.invalid');
      expect(next.pathname).toMatch(/^\/apps\/ivr-menu\/on\/\w+$/);
      expect(next.searchParams.get('key')).toBe(SECRET);
      expect(next.searchParams.get('sig')).toMatch(/^[\w-]{43}$/);
    }
  });

  it('when Tropo posts the result to the next URL as written, then the handler answers', async () => {
    const next = await startMenu(t);
    const res = await request(t.app).post(next).send(fixture('requests/ivr-choice-result.json'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('You chose support');
  });

  it("when a result names another session, then 403: it cannot enter that session's flow", async () => {
    const next = await startMenu(t);
    const body = fixture<ResultBody>('requests/ivr-choice-result.json');
    body.result.sessionId = 'another-session-0000000000000000';
    const res = await request(t.app).post(next).send(body);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WEBHOOK_BAD_SIGNATURE');
  });

  it("when one handler's URL is used for another handler, then 403", async () => {
    const next = await startMenu(t);
    const res = await request(t.app)
      .post(next.replace('/on/choice', '/on/hangup'))
      .send(fixture('requests/ivr-hangup-result.json'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WEBHOOK_BAD_SIGNATURE');
  });

  it('when the sig is missing, then 403 even with the right key', async () => {
    const res = await request(t.app)
      .post(`/apps/ivr-menu/on/choice?${KEY}`)
      .send(fixture('requests/ivr-choice-result.json'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WEBHOOK_BAD_SIGNATURE');
  });

  it('when PUBLIC_URL is set too, then next URLs are absolute and still signed', async () => {
    const p = buildTestApp({ WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://abc.tunnel.example' });
    try {
      const next = new URL(await startMenu(p));
      expect(next.origin).toBe('https://abc.tunnel.example');
      expect(next.searchParams.get('key')).toBe(SECRET);
      const res = await request(p.app)
        .post(`${next.pathname}${next.search}`)
        .send(fixture('requests/ivr-choice-result.json'));
      expect(res.status).toBe(200);
    } finally {
      await p.close();
    }
  });

  it.each(['/healthz', '/readyz', '/apps', '/metrics'])(
    'when %s is asked without the key, then it answers as usual',
    async (path) => {
      await request(t.app).get(path).expect(200);
    },
  );

  it('when /api/sessions is called without the key, then its own bearer check decides', async () => {
    const res = await request(t.app).post('/api/sessions').send({ app: 'ivr-menu' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('when requests are refused and served, then no log line holds the key or a signature', async () => {
    const next = await startMenu(t);
    await request(t.app).post(next).send(fixture('requests/ivr-choice-result.json'));
    await request(t.app).post('/start?key=wrong-guess-of-the-key').send({});
    const body = fixture<ResultBody>('requests/ivr-choice-result.json');
    body.result.sessionId = 'another-session-0000000000000000';
    await request(t.app).post(next).send(body);
    const sig = new URL(next, 'http://x').searchParams.get('sig') ?? 'missing';
    const raw = t.rawLogs();
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(encodeURIComponent(SECRET));
    expect(raw).not.toContain(sig);
    expect(raw).not.toContain('wrong-guess-of-the-key');
    const refused = t.logs().filter((l) => l.msg === 'request' && l.status === 401);
    expect(refused).toEqual([
      expect.objectContaining({ route: '/start', code: 'WEBHOOK_UNAUTHORIZED' }),
    ]);
  });
});

describe('WEBHOOK_ALLOW_IPS', () => {
  const session = fixture('requests/inbound-voice-session.json');

  async function statusFor(env: Record<string, string>, forwardedFor?: string): Promise<number> {
    const t = buildTestApp(env);
    try {
      const call = request(t.app).post('/start');
      if (forwardedFor) call.set('x-forwarded-for', forwardedFor);
      const res = await call.send(session);
      if (res.status === 403) {
        expect(res.body.error.code).toBe('WEBHOOK_FORBIDDEN_IP');
        const line = t.logs().find((l) => l.msg === 'request');
        expect(line).toMatchObject({ code: 'WEBHOOK_FORBIDDEN_IP', clientIp: expect.any(String) });
      }
      return res.status;
    } finally {
      await t.close();
    }
  }

  it('when the caller (loopback here) is listed, then it is served', async () => {
    expect(await statusFor({ WEBHOOK_ALLOW_IPS: '127.0.0.0/8,::1' })).toBe(200);
  });

  it('when the caller is not listed, then 403 and the log names its address', async () => {
    expect(await statusFor({ WEBHOOK_ALLOW_IPS: '203.0.113.0/24' })).toBe(403);
  });

  it('when a trusted proxy forwards for a listed address, then it is served', async () => {
    expect(
      await statusFor(
        { WEBHOOK_ALLOW_IPS: '203.0.113.0/24', TRUST_PROXY: 'loopback' },
        '203.0.113.9',
      ),
    ).toBe(200);
  });

  it('when X-Forwarded-For comes from an untrusted peer, then it is ignored (no spoofing)', async () => {
    expect(await statusFor({ WEBHOOK_ALLOW_IPS: '203.0.113.0/24' }, '203.0.113.9')).toBe(403);
  });

  it('when both the list and the secret are set, then a listed caller still needs the key', async () => {
    expect(await statusFor({ WEBHOOK_ALLOW_IPS: '127.0.0.1', WEBHOOK_SECRET: SECRET })).toBe(401);
  });
});
