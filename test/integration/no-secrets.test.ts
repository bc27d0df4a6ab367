/**
 * The log scan: every route and app driven with planted secrets where real ones travel (session
 * tokens, API_KEY, WEBHOOK_SECRET, Tropo tokens, recording passwords), the right way and the wrong
 * way; no log line and no error answer may hold any of them.
 */
import request from 'supertest';
import { defineApp } from '../../src/sdk/define-app';
import { AppRegistry, loadApps, moduleApp } from '../../src/server/registry';
import { hangup, on, say, startRecording, type Verb } from '../../src/tropo';
import {
  expectNoPlantedSecrets,
  findPlantedSecrets,
  PLANTED,
  plantedEnv,
  scanLedger,
} from '../helpers/secret-scan';
import { startStubTropo, type StubTropo } from '../helpers/stub-tropo';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

type Body = Record<string, unknown>;

const destination = {
  url: `https://user:${encodeURIComponent(PLANTED.recordingPassword)}@rec.example/upload`,
  username: 'user',
  password: PLANTED.recordingPassword,
  sessionToken: PLANTED.recordingSessionToken,
};

/** Apps that handle secrets the way app authors do, carefully and not. */
const testApps = [
  defineApp({
    name: 'snoop',
    description: 'logs everything it is handed',
    channels: ['voice', 'text'],
    start: (ctx) => {
      ctx.log.info({ session: ctx.session, params: ctx.params, settings: ctx.settings }, 'start');
      return [say({ value: 'hi' }), on({ event: 'continue', next: ctx.next('next') })];
    },
    on: {
      next: (ctx) => {
        ctx.log.info({ result: ctx.result }, 'next');
        return [hangup()];
      },
    },
  }),
  defineApp({
    name: 'recorder',
    description: 'records to a destination with a password, with a warning to log',
    channels: ['voice'],
    start: () => [
      startRecording({ url: destination }),
      // An unknown key next to the password makes the validator warn, and the warning is logged.
      {
        record: { url: [destination], password: PLANTED.recordingPassword, pasword: 'typo' },
      } as unknown as Verb,
      hangup(),
    ],
  }),
  defineApp({
    name: 'broken-recorder',
    description:
      'writes credentials of the wrong type, so the document is invalid and its issues logged',
    channels: ['voice'],
    start: () => [
      {
        record: {
          url: [{ ...destination, method: 'GETT' }],
          // A numeric PIN as password: the validator must not quote it.
          password: Number(PLANTED.recordingPin),
          sessionToken: Number(PLANTED.recordingPin),
        },
      } as unknown as Verb,
    ],
  }),
  defineApp({
    name: 'thrower',
    description: 'throws an error that names the session (without its token)',
    channels: ['voice'],
    start: (ctx) => {
      throw new Error(
        `cannot serve session ${ctx.session.id} with ${JSON.stringify(ctx.session.parameters)}`,
      );
    },
  }),
].map((app) => moduleApp(app));

/** The `next` URLs of the `on` verbs in a document's text. */
function nextUrls(text: string): string[] {
  const doc = JSON.parse(text) as { tropo?: Array<{ on?: unknown }> };
  return (doc.tropo ?? []).flatMap((verb) =>
    ([] as Array<{ next?: string }>)
      .concat((verb.on ?? []) as { next?: string })
      .flatMap((o) => (o.next ? [o.next] : [])),
  );
}

function withToken(name: string, extra: Record<string, string> = {}): Body {
  const body = fixture<Body & { session: { id?: string; parameters?: Record<string, string> } }>(
    `requests/${name}`,
  );
  body.session.parameters = { ...body.session.parameters, token: PLANTED.sessionToken, ...extra };
  // A session starts only once (a repeated start is refused): every body gets an id of its own.
  if (typeof body.session.id === 'string') body.session.id = `${body.session.id}-${(starts += 1)}`;
  return body;
}
let starts = 0;

describe('planted secrets, every route', () => {
  let stub: StubTropo;
  let t: TestApp;
  const answers: Array<{ what: string; status: number; text: string; headers: string }> = [];

  beforeAll(async () => {
    stub = await startStubTropo();
    const shipped = loadApps().list();
    t = buildTestApp(
      plantedEnv({ RELAY_TO: '+14155550199', TROPO_API_URL: stub.baseUrl, LOG_LEVEL: 'debug' }),
      { registry: new AppRegistry([...shipped, ...testApps]) },
    );
  });

  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  async function send(
    what: string,
    method: 'get' | 'post' | 'put' | 'options',
    path: string,
    body?: Body | string,
    headers: Record<string, string> = {},
  ) {
    let req = request(t.app)[method](path);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const res = body === undefined ? await req : await req.send(body);
    answers.push({
      what,
      status: res.status,
      text: res.text,
      headers: JSON.stringify(res.headers),
    });
    return res;
  }

  const key = `?key=${encodeURIComponent(PLANTED.webhookSecret)}`;
  const auth = { authorization: `Bearer ${PLANTED.apiKey}` };

  it('when every app and route is driven with secrets in place, then no log line and no error answer holds one', async () => {
    // Token-launched sessions to every app, by /start and by /apps/:app/start.
    for (const app of [
      'appointment-reminder',
      'sms-relay',
      'ivr-menu',
      'quickstart',
      'snoop',
      'thrower',
      'nope',
      '__proto__',
    ]) {
      await send(
        `start ${app}`,
        'post',
        `/start${key}`,
        withToken('reminder-session.json', { app }),
        auth,
      );
      await send(
        `apps/${app}/start`,
        'post',
        `/apps/${app}/start${key}`,
        withToken('reminder-confirm-session.json'),
      );
    }
    for (const app of ['recorder', 'broken-recorder']) {
      await send(
        `apps/${app}/start`,
        'post',
        `/apps/${app}/start${key}`,
        withToken('inbound-voice-session.json'),
      );
    }
    // Invalid parameters next to the token (fallbacks log the parameter issues).
    await send(
      'bad params',
      'post',
      `/start${key}`,
      withToken('reminder-session.json', { numberToDial: 'x', msg: '' }),
    );
    await send(
      'bad sms params',
      'post',
      `/start${key}`,
      withToken('sms-relay-session.json', { msg: 'x'.repeat(2000) }),
    );
    // Malformed bodies that still carry the token.
    await send(
      'broken JSON with a token',
      'post',
      `/start${key}`,
      `{"session":{"parameters":{"token":"${PLANTED.sessionToken}"`,
      {
        'content-type': 'application/json',
      },
    );
    await send('no session id', 'post', `/start${key}`, {
      session: { parameters: { token: PLANTED.sessionToken } },
    });
    // Continuations through the signed next URLs the apps wrote (each with the session's own id),
    // then unsigned and forged ones, which the guard refuses.
    for (const [app, sessionFile, resultFile] of [
      ['appointment-reminder', 'reminder-confirm-session.json', 'confirm-pressed-1-result.json'],
      ['ivr-menu', 'inbound-voice-session.json', 'ivr-choice-result.json'],
      ['snoop', 'reminder-session.json', 'ivr-hangup-result.json'],
    ] as const) {
      // A session's URLs stop working when it ends: each next URL is used in a session of its own.
      const start = async () => {
        const session = withToken(sessionFile) as { session: { id: string } };
        const started = await send(`signed ${app}`, 'post', `/apps/${app}/start${key}`, session);
        return { id: session.session.id, urls: nextUrls(started.text) };
      };
      const count = (await start()).urls.length;
      expect(count).toBeGreaterThan(0);
      for (let n = 0; n < count; n += 1) {
        const { id, urls } = await start();
        const url = urls[n] ?? '';
        const result = fixture<{ result: Body }>(`requests/${resultFile}`).result;
        await send(`continue ${url.split('?')[0] ?? ''}`, 'post', url, {
          result: { ...result, sessionId: id, token: PLANTED.sessionToken },
        });
      }
    }
    await send(
      'unsigned continuation',
      'post',
      `/apps/ivr-menu/on/choice${key}`,
      fixture('requests/ivr-choice-result.json'),
    );
    await send(
      'forged continuation',
      'post',
      `/apps/ivr-menu/on/choice${key}&sig=${'0'.repeat(43)}`,
      fixture('requests/ivr-choice-result.json'),
    );
    await send('static', 'get', `/apps/quickstart.json${key}`, undefined, auth);
    await send('options', 'options', `/start${key}`, undefined, auth);
    await send('put', 'put', `/start${key}`, withToken('reminder-session.json'), auth);

    // The launch API: accepted, refused by Tropo (whose reason echoes the token), failing, unauthorised.
    stub.answer(
      { body: '<session><success>true</success><token>x</token><id>launched-1</id></session>' },
      {
        body: `<session><success>false</success><token>${PLANTED.tropoToken}</token><reason>Invalid token ${PLANTED.tropoToken}</reason></session>`,
      },
      { status: 400, body: `bad token=${PLANTED.appToken}` },
    );
    const launch = {
      app: 'appointment-reminder',
      parameters: { numberToDial: '14075551212', msg: 'Hi' },
    };
    await send('launch ok', 'post', '/api/sessions', launch, auth);
    await send('launch refused', 'post', '/api/sessions', launch, auth);
    await send(
      'launch failed',
      'post',
      '/api/sessions',
      { app: 'sms-relay', parameters: { numberToDial: '14075551212', msg: 'Hi' } },
      auth,
    );
    await send(
      'launch with a token parameter',
      'post',
      '/api/sessions',
      { ...launch, parameters: { ...launch.parameters, token: PLANTED.sessionToken } },
      auth,
    );
    await send('launch, wrong key', 'post', '/api/sessions', launch, {
      authorization: `Bearer ${PLANTED.apiKey}x`,
    });
    await send('launch, no key', 'post', '/api/sessions', launch);

    // The signed continuations reached their handlers; the unsigned and forged ones did not.
    const continued = answers.filter((a) => a.what.startsWith('continue '));
    expect(continued.length).toBeGreaterThanOrEqual(6);
    expect(continued.map((a) => a.status)).toEqual(continued.map(() => 200));
    expect(
      answers
        .filter((a) => a.what.endsWith('signed continuation') || a.what.startsWith('forged'))
        .map((a) => a.status),
    ).toEqual([403, 403]);

    // The secrets went where they belong: the launches carried the Tropo tokens to Tropo…
    expect(stub.requests.map((r) => findPlantedSecrets(r.body).map((f) => f.name))).toEqual([
      ['tropoToken'],
      ['tropoToken'],
      ['appToken'],
    ]);
    // …and the recorder's document carried the password to Tropo.
    const recorder = answers.find((a) => a.what === 'apps/recorder/start');
    expect(recorder?.status).toBe(200);
    expect(recorder?.text).toContain(PLANTED.recordingPassword);

    // Nowhere else.
    for (const a of answers.filter((x) => x.what !== 'apps/recorder/start')) {
      const found = findPlantedSecrets(
        `${a.text}\n${a.headers}`,
        `answer to ${a.what} (${a.status})`,
      )
        // The next URLs of a document to Tropo carry ?key= by design (DESIGN §6); nothing else may.
        .filter(
          (f) =>
            !(
              a.status === 200 &&
              f.name === 'webhookSecret' &&
              f.context.includes('?key=<webhookSecret>&sig=')
            ),
        );
      expect(found).toEqual([]);
    }
    expectNoPlantedSecrets(t.rawLogs(), 'server log');
    // The logs saw the things that could have leaked: warnings, fallbacks, launch failures.
    const codes = t.logs().flatMap((l) => [l.code, l.msg]);
    expect(codes).toEqual(
      expect.arrayContaining([
        'APP_INVALID_DOCUMENT',
        'APP_THREW',
        'APP_PARAMS_INVALID',
        'the app answered a document with warnings',
        'Tropo rejected the launch',
        'the launch failed',
      ]),
    );
    // The setup hook will scan this file's captured logs again; it has something to scan.
    expect(scanLedger().chars).toBeGreaterThan(10_000);
  });
});
