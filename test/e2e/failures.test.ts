/** End to end: apps that fail (invalid documents, hanging, not JSON, non-2xx, loops) as the simulator and the server see them. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineApp } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import {
  exitCodeOf,
  parseScriptArgs,
  simulate,
  type SessionSpec,
  type Transcript,
} from '../../src/simulator';
import { ask, hangup, on, say, type Verb } from '../../src/tropo';
import { startRunningServer, type RunningServer } from '../helpers/running-server';
import { recordForSecretScan } from '../helpers/secret-scan';

const CALL: SessionSpec = { kind: 'voice', from: '+14155550100', to: '+14155550199' };

/** Test apps, and a gate that holds the hanging ones until the suite ends. */
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => {
  release = resolve;
});

const registry = new AppRegistry([
  moduleApp(
    defineApp({
      name: 'broken',
      description: 'answers a document that fails validation',
      channels: ['voice'],
      // A say without a value: what a buggy app might build by hand.
      start: () => [{ say: [{}] } as unknown as Verb],
    }),
  ),
  moduleApp(
    defineApp({
      name: 'hangs',
      description: 'never answers the session',
      channels: ['voice'],
      start: async () => {
        await gate;
        return [hangup()];
      },
    }),
  ),
  moduleApp(
    defineApp({
      name: 'hangs-later',
      description: 'answers the session, then hangs on the result; has an error handler',
      channels: ['voice'],
      start: (ctx) => [
        ask({ name: 'pin', choices: { value: '[4 DIGITS]' }, say: 'Enter your PIN.' }),
        on({ event: 'continue', next: ctx.next('check') }),
        on({ event: 'error', next: ctx.next('recover') }),
      ],
      on: {
        check: async () => {
          await gate;
          return [hangup()];
        },
        recover: () => [say('Sorry, we cannot check your PIN right now.'), hangup()],
      },
    }),
  ),
  moduleApp(
    defineApp({
      name: 'loops',
      description: 'sends the caller round in circles',
      channels: ['voice'],
      start: (ctx) => [say('Again.'), on({ event: 'continue', next: ctx.next('again') })],
      on: { again: (ctx) => [say('Again.'), on({ event: 'continue', next: ctx.next('again') })] },
    }),
  ),
]);

let server: RunningServer;
let quickServer: RunningServer;

beforeAll(async () => {
  // The server's own deadline is long here, so the simulator's is the one that expires.
  server = await startRunningServer({ APP_TIMEOUT_MS: '60000' }, { registry });
  quickServer = await startRunningServer({ APP_TIMEOUT_MS: '100' }, { registry });
});

afterAll(async () => {
  release();
  await Promise.all([server.close(), quickServer.close()]);
});

async function play(url: string, flags: string[] = [], timeoutMs = 3000): Promise<Transcript> {
  const t = await simulate({
    startUrl: url,
    session: CALL,
    script: parseScriptArgs(flags).script,
    timeoutMs,
    limits: { maxDocuments: 5 },
  });
  recordForSecretScan('transcript', () => JSON.stringify(t));
  return t;
}

const texts = (t: Transcript) => t.lines.map((l) => l.text);

describe('through the server', () => {
  it('when an app builds an invalid document, then the server answers its apology and logs why', async () => {
    const t = await play(`${server.url}/apps/broken/start`);
    // The apology is played, but a fallback document is the app failing (issue 14).
    expect(t.outcome?.status).toBe('app-failed');
    expect(t.outcome?.reason).toMatch(/fallback document \(error id [0-9a-f]{12}\)/);
    expect(texts(t)).toContain(
      'Tropo says: We are sorry, something went wrong. Please try again later. Goodbye.',
    );
    expect(server.logs().some((l) => l.code === 'APP_INVALID_DOCUMENT')).toBe(true);
  });

  it('when an app hangs longer than the simulator waits, then the session fails with a timeout and exit 1', async () => {
    const t = await play(`${server.url}/apps/hangs/start`, [], 300);
    expect(exitCodeOf(t)).toBe(1);
    expect(t.outcome).toMatchObject({ status: 'app-failed', state: 'DISCONNECTED' });
    expect(t.outcome?.failures).toEqual(['the app did not answer within 300 ms']);
    expect(t.exchanges[0]?.failure?.kind).toBe('timeout');
    expect(texts(t)).toContain('Tropo never answers the call and hangs up');
  });

  it('when an app hangs on a result and its document has an error handler, then Tropo POSTs the error there', async () => {
    const t = await play(`${server.url}/apps/hangs-later/start`, ['--input', '1234'], 300);
    expect(t.outcome?.status).toBe('app-failed');
    expect(t.exchanges.map((e) => e.url)).toEqual([
      `${server.url}/apps/hangs-later/start`,
      `${server.url}/apps/hangs-later/on/check`,
      `${server.url}/apps/hangs-later/on/recover`,
    ]);
    const recovery = (t.exchanges[2]?.request as { result: Record<string, unknown> }).result;
    expect(recovery).toMatchObject({ sequence: 2, error: 'the app did not answer within 300 ms' });
    expect(texts(t)).toContain('Tropo says: Sorry, we cannot check your PIN right now.');
  });

  it('when an app hangs past APP_TIMEOUT_MS, then the server answers its apology in time', async () => {
    const t = await play(`${quickServer.url}/apps/hangs/start`, [], 3000);
    // The apology is played, but a fallback document is the app failing (issue 14).
    expect(t.outcome?.status).toBe('app-failed');
    expect(t.outcome?.reason).toMatch(/fallback document \(error id [0-9a-f]{12}\)/);
    expect(texts(t)).toContain(
      'Tropo says: We are sorry, something went wrong. Please try again later. Goodbye.',
    );
    expect(quickServer.logs().some((l) => l.code === 'APP_TIMEOUT')).toBe(true);
  });

  it('when an app loops, then the session stops at the document limit with a clear reason', async () => {
    const t = await play(`${server.url}/apps/loops/start`);
    expect(exitCodeOf(t)).toBe(1);
    expect(t.outcome?.status).toBe('limit-reached');
    expect(t.outcome?.reason).toMatch(/asked for 5 documents.*a loop/);
    expect(t.documents).toBe(5);
  });
});

describe('against an app server that is not ours', () => {
  let raw: Server;
  let origin: string;
  const answers: Record<string, { status: number; type: string; body: string }> = {
    '/invalid': {
      status: 200,
      type: 'application/json',
      body: '{"tropo":[{"sya":{"value":"typo"}},{"ask":{"say":{"value":"Pick"}}}]}',
    },
    '/html': { status: 200, type: 'text/html', body: '<html>Welcome</html>' },
    '/error': { status: 500, type: 'text/plain', body: 'Internal Server Error' },
  };

  beforeAll(async () => {
    raw = createServer((req, res) => {
      req.resume();
      const answer = answers[req.url ?? ''] ?? { status: 404, type: 'text/plain', body: 'no' };
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  });

  it('when the app answers an invalid document, then every problem is recorded and the session fails', async () => {
    const t = await play(`${origin}/invalid`);
    expect(exitCodeOf(t)).toBe(1);
    expect(t.outcome?.failures[0]).toMatch(
      /^the document is invalid \(\d+ errors\); tropo\[0\]\.sya/,
    );
    const issues = t.exchanges[0]?.issues ?? [];
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['tropo[0].sya', 'tropo[1].ask.choices']),
    );
    expect(texts(t)).toContain('Tropo never answers the call and hangs up');
  });

  it('when the app answers HTML, then the session fails as not JSON', async () => {
    const t = await play(`${origin}/html`);
    expect(t.exchanges[0]?.failure).toEqual({
      kind: 'not-json',
      message: 'the answer is not JSON: <html>Welcome</html>',
    });
  });

  it('when the app answers 500, then the session fails naming the status', async () => {
    const t = await play(`${origin}/error`);
    expect(t.outcome?.failures).toEqual(['the app answered HTTP 500']);
  });
});
