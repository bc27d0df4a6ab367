/** Tests the app registry: each app's own settings checked at load, and an app added from a folder of its own, played through the server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { defineApp, say } from '../../src/sdk';
import { AppLoadError, loadApps, moduleApp, settingKeys } from '../../src/server/registry';
import { exitCodeOf, simulate, startLocalServer } from '../../src/simulator';
import { buildTestApp, fixture } from '../helpers/test-app';

const SDK = path.join(__dirname, '..', '..', 'src', 'sdk');

/** An app with settings of each kind: required, defaulted, optional, secret-looking. */
const configured = defineApp({
  name: 'configured',
  description: 'reads its own settings',
  channels: ['voice'],
  settings: z.object({
    GREETING: z.string().trim().min(2),
    REPEAT: z.coerce.number().int().min(1).max(3).default(1),
    SIGN_OFF: z.string().optional(),
    CONFIGURED_API_KEY: z.string().regex(/^k-/, 'must start with k-'),
  }),
  start: (ctx) => [say({ value: ctx.settings.GREETING.repeat(ctx.settings.REPEAT) })],
});

function loadError(fn: () => unknown): AppLoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppLoadError) return err;
    throw err;
  }
  throw new Error('expected an AppLoadError');
}

describe('app settings', () => {
  const good = { GREETING: ' Hello ', CONFIGURED_API_KEY: 'k-1' };

  it('when the environment holds the keys, then the app gets parsed values of its keys only', () => {
    const app = moduleApp(configured, 'configured', { ...good, REPEAT: '2', PATH: '/bin' });
    expect(app.settings).toEqual({ GREETING: 'Hello', REPEAT: 2, CONFIGURED_API_KEY: 'k-1' });
    expect(settingKeys(configured)).toEqual([
      'GREETING',
      'REPEAT',
      'SIGN_OFF',
      'CONFIGURED_API_KEY',
    ]);
  });

  it('when a required key is unset or empty, then loading stops naming the app and the key', () => {
    for (const GREETING of [undefined, '', '   ']) {
      const err = loadError(() =>
        moduleApp(configured, 'configured', { CONFIGURED_API_KEY: 'k-1', GREETING }),
      );
      expect(err.message).toContain('configured');
      expect(err.message).toMatch(/setting GREETING: required by app "configured", and not set/);
    }
  });

  it('when values are bad, then every bad key is named, with the value unless it looks secret', () => {
    const err = loadError(() =>
      moduleApp(configured, 'configured', {
        GREETING: 'x',
        REPEAT: '9',
        CONFIGURED_API_KEY: 'hunter2-secret',
      }),
    );
    expect(err.message).toMatch(/setting GREETING: .*\(got "x"\)/);
    expect(err.message).toMatch(/setting REPEAT: .*\(got "9"\)/);
    expect(err.message).toMatch(/setting CONFIGURED_API_KEY: must start with k-/);
    expect(err.message).not.toContain('hunter2');
  });

  it('when an app declares no settings, then it gets an empty object whatever the environment', () => {
    const plain = defineApp({
      name: 'plain',
      description: 'p',
      channels: ['voice'],
      start: () => [],
    });
    expect(moduleApp(plain, 'plain', { RELAY_TO: '+14155550199' }).settings).toEqual({});
  });

  it('when the shipped sms-relay is loaded, then RELAY_TO and SMS_FROM are its settings', () => {
    const relay = loadApps(undefined, ['sms-relay'], {
      RELAY_TO: ' +14155550199 ',
      SMS_FROM: '',
    }).module('sms-relay');
    expect(relay?.settings).toEqual({ RELAY_TO: '+14155550199' });
  });
});

describe('an app added in a folder of its own', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-apps-'));
    fs.mkdirSync(path.join(dir, 'echo-bot'));
    // What an author writes: the SDK only (here by absolute path, as the folder is elsewhere).
    fs.writeFileSync(
      path.join(dir, 'echo-bot', 'index.ts'),
      `import { defineApp, hangup, say, z } from ${JSON.stringify(SDK)};

export default defineApp({
  name: 'echo-bot',
  description: 'Says its greeting, then hangs up.',
  channels: ['voice'],
  settings: z.object({ ECHO_GREETING: z.string().min(1) }),
  start: (ctx) => [say({ value: ctx.settings.ECHO_GREETING }), hangup()],
});
`,
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when its setting is given, then the server registers it and plays it', async () => {
    const registry = loadApps(dir, undefined, { ECHO_GREETING: 'Hello from echo' });
    expect(registry.list().map((a) => a.name)).toEqual(['echo-bot']);
    const t = buildTestApp({}, { registry });
    try {
      const listed = await request(t.app).get('/apps').expect(200);
      expect((listed.body.apps as { name: string }[]).map((a) => a.name)).toContain('echo-bot');
      const res = await request(t.app)
        .post('/apps/echo-bot/start')
        .send(fixture('requests/inbound-voice-session.json'))
        .expect(200);
      expect(res.body).toEqual({
        tropo: [{ say: [{ value: 'Hello from echo' }] }, { hangup: {} }],
      });
    } finally {
      await t.close();
    }
  });

  it('when the simulator plays it in process, then the transcript has its greeting and ends normally', async () => {
    const env = { ECHO_GREETING: 'Hello from the simulator' };
    const server = await startLocalServer({ env, registry: loadApps(dir, undefined, env) });
    try {
      const transcript = await simulate({
        startUrl: `${server.origin}/apps/echo-bot/start`,
        session: { kind: 'voice', from: '+14155550100', to: '+14155550199' },
        timeoutMs: 5000,
      });
      expect(transcript.lines.map((l) => l.text).join('\n')).toContain('Hello from the simulator');
      expect(exitCodeOf(transcript)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('when its required setting is missing, then loading stops naming the app and the key', () => {
    const err = loadError(() => loadApps(dir, undefined, { OTHER: 'x' }));
    expect(err.message).toContain('echo-bot');
    expect(err.message).toMatch(/setting ECHO_GREETING: required by app "echo-bot"/);
  });

  it('when APPS leaves it out, then its settings are not checked', () => {
    fs.writeFileSync(
      path.join(dir, 'static-one.json'),
      JSON.stringify({ tropo: [{ hangup: null }] }),
    );
    try {
      expect(
        loadApps(dir, ['static-one'], {})
          .list()
          .map((a) => a.name),
      ).toEqual(['static-one']);
    } finally {
      fs.rmSync(path.join(dir, 'static-one.json'));
    }
  });
});
