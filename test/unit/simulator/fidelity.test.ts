/**
 * Fidelity found by playing third-party apps: an ask without say, a failed answer after the call
 * ended, and next URLs that point away from the app (the simulator POSTs only to the app's origin).
 */
import { createSimulateCommand } from '../../../src/cli/simulate';
import {
  exitCodeOf,
  parseScriptArgs,
  simulate,
  type EngineOptions,
  type PostJson,
  type SessionSpec,
  type Transcript,
} from '../../../src/simulator';
import { memoryIO } from '../../helpers/memory-io';

const ORIGIN = 'http://app.test';
const CALL: SessionSpec = { kind: 'voice', from: '+14155550100', to: '+14155550199' };

/** An app as a table from URL (or path on ORIGIN) to its answer: a document, or an HTTP status. */
function fakeApp(routes: Record<string, unknown>): { post: PostJson; posted: string[] } {
  const posted: string[] = [];
  const post: PostJson = (url) => {
    posted.push(url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url);
    const reply = routes[url] ?? routes[new URL(url).pathname];
    const status = typeof reply === 'number' ? reply : reply === undefined ? 404 : 200;
    return Promise.resolve({
      ok: true,
      status,
      contentType: 'application/json; charset=utf-8',
      body: typeof reply === 'number' || reply === undefined ? '{}' : JSON.stringify(reply),
      truncated: false,
      durationMs: 0,
    });
  };
  return { post, posted };
}

function play(
  app: { post: PostJson },
  inputs: string[],
  extra: Partial<EngineOptions> = {},
): Promise<Transcript> {
  return simulate({
    startUrl: `${ORIGIN}/start`,
    session: CALL,
    script: parseScriptArgs(inputs.flatMap((i) => ['--input', i])).script,
    post: app.post,
    ...extra,
  });
}

const linesOf = (t: Transcript, level: 'warning' | 'error') =>
  t.lines.filter((l) => l.level === level).map((l) => l.text);
const next = (event: string, url: string) => ({ on: { event, next: url } });

describe('an ask without say', () => {
  it('when an ask has only choices, then it listens without a prompt, warns, and the session completes', async () => {
    const app = fakeApp({
      '/start': {
        tropo: [{ ask: { name: 'key', choices: { value: '1,2' } } }, next('continue', '/r')],
      },
      '/r': { tropo: [{ say: { value: 'Thanks.' } }, { hangup: null }] },
    });
    const t = await play(app, ['1']);
    expect(t.outcome?.status).toBe('completed');
    expect(app.posted).toEqual(['/start', '/r']);
    expect(linesOf(t, 'warning')).toEqual([
      'Warning: tropo[0].ask: the ask has no "say", so it plays no prompt before listening (Tropo requires only "choices")',
    ]);
    expect(linesOf(t, 'error')).toEqual([]);
    expect(t.lines.map((l) => l.text)).toContain('Caller presses 1');
  });
});

describe('the answer to a result after the call ended', () => {
  const menu = {
    tropo: [
      { ask: { name: 'key', choices: { value: '1,2' }, say: { value: 'Press 1.' } } },
      next('continue', '/r'),
      next('hangup', '/bye'),
    ],
  };

  it('when the hangup handler answers an error, then it is a warning and the session still ended normally', async () => {
    const app = fakeApp({ '/start': menu, '/bye': 500 });
    const t = await play(app, ['hangup']);
    expect(app.posted).toEqual(['/start', '/bye']);
    expect(t.outcome?.status).toBe('completed');
    expect(exitCodeOf(t)).toBe(0);
    expect(linesOf(t, 'error')).toEqual([]);
    expect(linesOf(t, 'warning')).toEqual([
      'Warning: the app failed to answer after the call ended (Tropo ignores it): the app answered HTTP 500',
    ]);
    // The exchange keeps what happened, for --json and --verbose.
    expect(t.exchanges[1]?.failure?.kind).toBe('status');
  });

  it('when a handler answers an error while the call is up, then the app failed as before', async () => {
    const app = fakeApp({ '/start': menu, '/r': 500 });
    const t = await play(app, ['1']);
    expect(t.outcome?.status).toBe('app-failed');
    expect(exitCodeOf(t)).toBe(1);
  });
});

describe('next URLs on another host', () => {
  const elsewhere = {
    tropo: [
      { ask: { name: 'key', choices: { value: '1,2' }, say: { value: 'Press 1.' } } },
      next('continue', 'https://collector.example.net/r'),
    ],
  };

  it('when a next URL points to another origin, then nothing is POSTed there and the session stops saying why', async () => {
    const app = fakeApp({ '/start': elsewhere });
    const t = await play(app, ['1']);
    expect(app.posted).toEqual(['/start']);
    expect(t.outcome?.status).toBe('limit-reached');
    expect(exitCodeOf(t)).toBe(1);
    expect(t.outcome?.reason).toBe(
      "the app sent Tropo to https://collector.example.net, not the app's own http://app.test; the simulator POSTs only to the app unless --allow-host collector.example.net allows that host",
    );
    expect(linesOf(t, 'error')[0]).toBe(`Stopped: ${t.outcome?.reason}`);
  });

  it('when the same host has another port or scheme, then it is another origin too', async () => {
    const app = fakeApp({ '/start': { tropo: [next('continue', 'http://app.test:8080/r')] } });
    const t = await play(app, []);
    expect(app.posted).toEqual(['/start']);
    expect(t.outcome?.reason).toContain('--allow-host app.test');
  });

  it('when --allow-host names that host, then the POST goes there', async () => {
    const app = fakeApp({
      '/start': elsewhere,
      'https://collector.example.net/r': { tropo: [{ hangup: null }] },
    });
    const t = await play(app, ['1'], { allowHosts: ['Collector.Example.NET'] });
    expect(app.posted).toEqual(['/start', 'https://collector.example.net/r']);
    expect(t.outcome?.status).toBe('completed');
  });

  it('when simulate is given --allow-host, then it reaches the engine', async () => {
    const app = fakeApp({
      '/start': elsewhere,
      'https://collector.example.net/r': { tropo: [{ hangup: null }] },
    });
    const command = createSimulateCommand({ post: app.post });
    const url = ['--url', `${ORIGIN}/start`, '--input', '1'];
    const refused = memoryIO();
    await expect(command(url, refused)).resolves.toBe(1);
    expect(refused.out()).toContain('--allow-host collector.example.net');
    const allowed = memoryIO();
    await expect(command([...url, '--allow-host', 'collector.example.net'], allowed)).resolves.toBe(
      0,
    );
  });
});
