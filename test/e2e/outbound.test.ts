/** End to end, the outbound path: the server's POST /api/sessions launches through fake-tropo (TROPO_API_URL), which plays the reminder against the server. */
import { runCli } from '../../src/cli/index';
import {
  parseScriptArgs,
  startFakeTropo,
  type FakeTropo,
  type Transcript,
} from '../../src/simulator';
import { memoryIO } from '../helpers/memory-io';
import { startRunningServer, type RunningServer } from '../helpers/running-server';
import { PLANTED, recordForSecretScan } from '../helpers/secret-scan';
import { waitFor } from '../helpers/wait-for';

// Planted secrets: every log and transcript of this file is scanned for them after the tests.
const TOKEN = PLANTED.tropoToken;
const API_KEY = PLANTED.apiKey;

let fake: FakeTropo;
let server: RunningServer;

beforeAll(async () => {
  // The fake needs the server's URL and the server the fake's: the start URL is read per session.
  let startUrl = '';
  fake = await startFakeTropo({
    startUrl: () => startUrl,
    token: TOKEN,
    script: parseScriptArgs(['--input', '1']).script,
    timeoutMs: 5000,
  });
  server = await startRunningServer({
    TROPO_API_URL: fake.apiUrl,
    TROPO_TOKEN: TOKEN,
    API_KEY,
  });
  startUrl = `${server.url}/start`;
});

afterAll(async () => {
  await fake.close();
  await server.close();
});

async function finishedTranscript(id: string): Promise<Transcript> {
  await waitFor(async () => {
    const response = await fetch(`${fake.origin}/sessions/${id}`);
    const body = (await response.json()) as Transcript;
    return body.outcome !== null;
  }, `session ${id} to end`);
  const response = await fetch(`${fake.origin}/sessions/${id}`);
  expect(response.status).toBe(200);
  const text = await response.text();
  recordForSecretScan('transcript', () => text);
  return JSON.parse(text) as Transcript;
}

describe('outbound reminder through fake-tropo', () => {
  it('when POST /api/sessions launches the reminder, then fake-tropo plays it and serves the transcript', async () => {
    const launched = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        app: 'appointment-reminder',
        parameters: { numberToDial: '+14075551212', msg: 'Your visit is at noon', confirm: 'true' },
      }),
    });
    expect(launched.status).toBe(200);
    const { id } = (await launched.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    const t = await finishedTranscript(id);
    expect(t.sessionId).toBe(id);
    expect(t.outcome?.status).toBe('completed');
    const session = (t.exchanges[0]?.request as { session: { parameters: Record<string, string> } })
      .session;
    expect(session.parameters).toEqual({
      token: '[REDACTED]',
      numberToDial: '+14075551212',
      msg: 'Your visit is at noon',
      confirm: 'true',
      app: 'appointment-reminder',
    });
    const lines = t.lines.map((l) => l.text);
    expect(lines).toContain('Tropo → calls +14075551212');
    expect(lines).toContain('Caller presses 1');
    expect(lines).toContain(
      'Tropo says: Your visit is at noon. Your appointment is confirmed. Goodbye.',
    );
    expect(JSON.stringify(t)).not.toContain(TOKEN);
    expect(server.rawLogs()).not.toContain(TOKEN);
  });

  it('when tropo-app session create uses TROPO_API_URL, then it prints the id of a session fake-tropo plays', async () => {
    const io = memoryIO({ env: { TROPO_API_URL: fake.apiUrl, TROPO_TOKEN: TOKEN } });
    const code = await runCli(
      ['session', 'create', 'app=sms-relay', 'numberToDial=4155550142', 'msg=Hello from the CLI'],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const id = io.out().trim();
    const t = await finishedTranscript(id);
    expect(t.lines.map((l) => l.text)).toContain('Tropo texts +14155550142: Hello from the CLI');
  });

  it("when the token is not the fake's, then the launch is refused with Tropo's reason", async () => {
    const launched = await startRunningServer({
      TROPO_API_URL: fake.apiUrl,
      TROPO_TOKEN: 'some-other-token',
      API_KEY,
    });
    try {
      const response = await fetch(`${launched.url}/api/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          app: 'sms-relay',
          parameters: { numberToDial: '+14155550142', msg: 'hi' },
        }),
      });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: { code: string; reason?: string } };
      expect(body.error).toMatchObject({
        code: 'SESSION_API_REJECTED',
        reason: 'FAILED TO ROUTE TOKEN',
      });
    } finally {
      await launched.close();
    }
  });
});
