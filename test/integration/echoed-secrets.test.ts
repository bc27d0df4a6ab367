/**
 * Tests that secrets an upstream echoes back never leave the server: the Session API repeating the
 * token (and any other configured secret) in its reason phrase or body, raw or base64, reaches
 * neither the 502 of POST /api/sessions nor a log line; an app's error holding them is logged hidden.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { defineApp } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import { createSessionApiClient } from '../../src/session-api';
import { PLANTED, findPlantedSecrets, plantedEnv } from '../helpers/secret-scan';
import { buildTestApp, fixture } from '../helpers/test-app';

const ECHOED = [PLANTED.tropoToken, PLANTED.apiKey, PLANTED.webhookSecret];

/** Every spelling of every echoed secret, as an upstream might repeat them. */
function echo(): string {
  return ECHOED.map(
    (s) =>
      `${s} ${encodeURIComponent(s)} ${JSON.stringify(s).slice(1, -1)} ${Buffer.from(s).toString('base64')} ${Buffer.from(`token:${s}`).toString('base64')}`,
  ).join(' ');
}

describe('secrets echoed by the Session API', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = req.url?.includes('reason-phrase') ? 502 : 403;
        res.writeHead(
          status,
          `Refused ${Buffer.from(PLANTED.tropoToken).toString('base64')} ${PLANTED.apiKey}`,
          {
            'content-type': 'text/xml',
          },
        );
        res.end(`<session><success>false</success><reason>bad token ${echo()}</reason></session>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/1.0`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(['body', 'reason-phrase'])(
    'when the upstream echoes them in its %s, then neither the 502 nor any log line holds one',
    async (where) => {
      const api = `${baseUrl}/${where}`;
      const t = buildTestApp(plantedEnv({ TROPO_API_URL: api }), {
        sessionApi: createSessionApiClient({ baseUrl: api, retries: 0 }),
      });
      try {
        const res = await request(t.app)
          .post('/api/sessions')
          .set('authorization', `Bearer ${PLANTED.apiKey}`)
          .send({
            app: 'appointment-reminder',
            parameters: { numberToDial: '14075551212', msg: 'Hi' },
          });
        expect(res.status).toBe(502);
        expect(res.body.error.reason).toEqual(expect.stringContaining('[Redacted]'));
        expect(findPlantedSecrets(res.text, 'answer')).toEqual([]);
        expect(findPlantedSecrets(t.rawLogs(), 'log')).toEqual([]);
        expect(t.rawLogs()).toContain('the launch failed');
      } finally {
        await t.close();
      }
    },
  );
});

describe('an app error holding secrets', () => {
  it('when an app throws a message with the secrets in every spelling, then its log line hides them', async () => {
    const thrower = defineApp({
      name: 'leaky',
      description: 'throws what it should not',
      channels: ['voice'],
      start() {
        throw new Error(`upstream said: ${echo()}`);
      },
    });
    const registry = new AppRegistry([moduleApp(thrower)]);
    const t = buildTestApp(plantedEnv(), { registry });
    try {
      const res = await request(t.app)
        .post(`/apps/leaky/start?key=${PLANTED.webhookSecret}`)
        .send(fixture('requests/inbound-voice-session.json'));
      expect(res.status).toBe(200);
      const line = t.logs().find((l) => l.code === 'APP_THREW');
      expect(JSON.stringify(line)).toContain('upstream said: [Redacted]');
      expect(findPlantedSecrets(t.rawLogs(), 'log')).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
