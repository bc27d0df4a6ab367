/** Tests for `tropo-app campaign` against a small stub that speaks the campaign contract (issue #13): requests sent, output, errors and exit codes. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINAL_STATUSES } from '../../../src/campaigns/model';
import {
  createCampaignCommand,
  describe as describeCampaign,
  FINAL_ORDER,
} from '../../../src/cli/campaign';
import { runCli } from '../../../src/cli/index';
import { memoryIO } from '../../helpers/memory-io';
import {
  refusedBaseUrl,
  startStubTropo,
  type RecordedRequest,
  type ScriptedAnswer,
  type StubTropo,
} from '../../helpers/stub-tropo';

const KEY = 'campaign-cli-key-4f1e';
const CSV = [
  'id,at,timeZone,numberToDial,msg,confirm',
  'r-001,2026-12-04T09:30:00,America/New_York,+14075551212,Your appointment is at 10,true',
  'r-002,2026-12-04T09:45:00,America/New_York,+14075551213,Your appointment is at 11,true',
].join('\n');

const json = (status: number, value: unknown): ScriptedAnswer => ({
  status,
  body: JSON.stringify(value),
});

/** A campaign server in a few lines: one campaign per POST, idempotency, and a GET that moves it on. */
function contract(): (req: RecordedRequest) => ScriptedAnswer {
  const campaigns = new Map<string, { app: string; name: string; polls: number; total: number }>();
  const keys = new Map<string, string>();
  const counts = (c: { polls: number; total: number }) =>
    c.polls < 2
      ? { scheduled: c.total - c.polls, launched: c.polls }
      : { confirmed: c.total - 1, busy: 1 };
  const view = (id: string) => {
    const c = campaigns.get(id);
    if (!c) return undefined;
    return {
      id,
      app: c.app,
      name: c.name,
      createdAt: '2026-12-01T10:00:00.000Z',
      state: c.polls >= 2 ? 'done' : c.polls === 0 ? 'scheduled' : 'running',
      counts: counts(c),
    };
  };
  return (req) => {
    if (req.headers.authorization !== `Bearer ${KEY}`) {
      return json(401, { error: { code: 'UNAUTHORIZED', message: 'A valid key is required.' } });
    }
    const one = /^\/api\/campaigns\/([^/]+)(\/report\.csv)?$/.exec(req.path);
    if (req.method === 'POST' && req.path === '/api/campaigns') {
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string' && keys.has(key)) {
        return json(200, {
          id: keys.get(key),
          accepted: campaigns.get(keys.get(key) ?? '')?.total,
        });
      }
      const csv = String(req.headers['content-type']).startsWith('text/csv');
      const body = csv
        ? undefined
        : (JSON.parse(req.body) as { app: string; name?: string; reminders: unknown[] });
      const total = csv ? req.body.trim().split('\n').length - 1 : (body?.reminders.length ?? 0);
      const id = `c-${campaigns.size + 1}`;
      campaigns.set(id, {
        app: csv ? (req.query.get('app') ?? '') : (body?.app ?? ''),
        name: csv ? (req.query.get('name') ?? '') : (body?.name ?? ''),
        polls: 0,
        total,
      });
      if (typeof key === 'string') keys.set(key, id);
      return json(201, { id, accepted: total });
    }
    if (req.method === 'GET' && req.path === '/api/campaigns') {
      return json(200, { campaigns: [...campaigns.keys()].map(view) });
    }
    const c = one ? campaigns.get(one[1] ?? '') : undefined;
    if (!one || !c) {
      return json(404, {
        error: { code: 'CAMPAIGN_NOT_FOUND', message: 'No campaign of that id.' },
      });
    }
    const id = one[1] ?? '';
    if (req.method === 'GET' && one[2]) {
      return {
        status: 200,
        headers: { 'content-type': 'text/csv' },
        body: 'id,status,attempts\nr-001,confirmed,1\nr-002,busy,3\n',
      };
    }
    if (req.method === 'GET') {
      c.polls += 1;
      return json(200, { ...view(id), reminders: [] });
    }
    const found = view(id);
    if (req.method === 'DELETE') return json(200, { ...found, state: 'cancelled' });
    return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'no' } });
  };
}

describe('tropo-app campaign', () => {
  let stub: StubTropo;
  let dir: string;
  beforeEach(async () => {
    stub = await startStubTropo({ fallback: contract() });
    dir = await mkdtemp(join(tmpdir(), 'campaign-cli-'));
  });
  afterEach(async () => {
    await stub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const command = createCampaignCommand({ sleep: () => Promise.resolve() });
  const run = async (args: string[], options: { key?: string | null; isTTY?: boolean } = {}) => {
    const key = options.key === undefined ? KEY : options.key;
    const io = memoryIO({
      env: key === null ? {} : { API_KEY: key },
      isTTY: options.isTTY ?? false,
    });
    const code = await command([...args, '--server', stub.origin], io);
    expect(io.out() + io.err()).not.toContain(KEY);
    return { code, out: io.out(), err: io.err() };
  };
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it.each([
    [[], 'usage: tropo-app campaign'],
    [['launch'], 'unknown sub-command "launch"'],
    [['status'], 'status needs a campaign ID'],
    [['status', 'a', 'b'], 'takes one campaign ID'],
    [['create'], 'create needs a FILE.csv'],
    [['list', '--bogus'], "Unknown option '--bogus'"],
    [['status', 'c-1', '--watch', '--interval', 'soon'], '--interval must be a number'],
  ])('when given %j, then it exits 2 with the reason', async (args, message) => {
    const io = memoryIO();
    await expect(command(args, io)).resolves.toBe(2);
    expect(io.err()).toContain(message);
  });

  it('when the statuses are shown, then every final status of the model has its place', () => {
    expect([...FINAL_ORDER].sort()).toEqual([...FINAL_STATUSES].sort());
  });

  it('when the server URL is not http(s), then it exits 2', async () => {
    const io = memoryIO();
    await expect(command(['list', '--server', 'ftp://x'], io)).resolves.toBe(2);
    expect(io.err()).toContain('--server must be an http(s) URL');
  });

  it('when --help is asked, then it prints every sub-command and exits 0, also through the CLI', async () => {
    const io = memoryIO();
    await expect(runCli(['campaign', '--help'], io)).resolves.toBe(0);
    for (const sub of [
      'create FILE.csv|FILE.json',
      'list',
      'status ID [--watch]',
      'report ID',
      'cancel ID',
    ]) {
      expect(io.out()).toContain(sub);
    }
    const top = memoryIO();
    await runCli(['--help'], top);
    expect(top.out()).toContain('campaign');
  });

  it('when a CSV is created, then it is posted as text/csv with app and name and the id is printed', async () => {
    const path = await file('friday.csv', CSV);
    const created = await run([
      'create',
      path,
      '--app',
      'appointment-reminder',
      '--name',
      'Friday clinic',
    ]);
    expect(created).toMatchObject({ code: 0, out: 'c-1\n' });
    expect(created.err).toContain('campaign c-1 created: 2 reminders accepted');
    const sent = stub.requests[0];
    expect(sent?.headers['content-type']).toBe('text/csv');
    expect(sent?.query.get('app')).toBe('appointment-reminder');
    expect(sent?.query.get('name')).toBe('Friday clinic');
    expect(sent?.body).toBe(CSV);
  });

  it('when a CSV has no --app, then it exits 2 before sending anything', async () => {
    const path = await file('friday.csv', CSV);
    expect((await run(['create', path])).code).toBe(2);
    expect(stub.requests).toEqual([]);
  });

  it('when a JSON file is created twice with one idempotency key, then the second answer says nobody is dialled again', async () => {
    const body = {
      app: 'appointment-reminder',
      name: 'Old',
      reminders: [{ id: 'r-1' }, { id: 'r-2' }, { id: 'r-3' }],
    };
    const path = await file('c.json', JSON.stringify(body));
    const args = ['create', path, '--name', 'New', '--idempotency-key', 'k-1'];
    const first = await run(args);
    const second = await run(args);
    expect([first.out, second.out]).toEqual(['c-1\n', 'c-1\n']);
    expect(second.err).toContain(
      'already created with this idempotency key: nobody is dialled again',
    );
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toMatchObject({
      name: 'New',
      app: 'appointment-reminder',
    });
    expect(stub.requests[0]?.headers['idempotency-key']).toBe('k-1');
  });

  it('when a JSON file is a bare list without --app, then it exits 2; with --app it is sent', async () => {
    const path = await file('list.json', JSON.stringify([{ id: 'r-1' }]));
    expect((await run(['create', path])).code).toBe(2);
    expect(await run(['create', path, '--app', 'sms-relay'])).toMatchObject({
      code: 0,
      out: 'c-1\n',
    });
  });

  it('when the file is missing or broken JSON, then it exits 1 saying so', async () => {
    const missing = await run(['create', join(dir, 'nope.csv'), '--app', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read');
    const broken = await run(['create', await file('b.json', '{"app":'), '--app', 'x']);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('is not valid JSON');
  });

  it('when the server refuses rows, then each issue is printed with its row and it exits 1', async () => {
    stub.answer(
      json(400, {
        error: {
          code: 'CAMPAIGN_INVALID',
          message: 'The campaign is not valid; nothing was created.',
          issues: [
            { row: 3, id: 'r-003', path: 'parameters.numberToDial', message: 'not a phone number' },
            { row: 5, id: 'r-005', path: 'at', message: 'not a time' },
          ],
        },
      }),
    );
    const result = await run(['create', await file('c.csv', CSV), '--app', 'appointment-reminder']);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')).toEqual([
      'tropo-app campaign create: the server refused the campaign, nothing was created (2 problems):',
      '  row 3 (id r-003) parameters.numberToDial: not a phone number',
      '  row 5 (id r-005) at: not a time',
      '',
    ]);
  });

  it('when the key is missing or wrong, then it says to set API_KEY and exits 1', async () => {
    const none = await run(['list'], { key: null });
    expect(none).toMatchObject({ code: 1 });
    expect(none.err).toContain('the server wants an API key (401): set API_KEY');
    const wrong = await run(['list'], { key: 'not-the-key' });
    expect(wrong.err).toContain('the server refused the API key (401)');
    expect(wrong.err).not.toContain('not-the-key');
    expect(stub.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('when the campaign is unknown, then it names the id and exits 1', async () => {
    const result = await run(['status', 'c-404']);
    expect(result).toMatchObject({ code: 1 });
    expect(result.err).toBe(`tropo-app campaign status: no campaign "c-404" on ${stub.origin}\n`);
  });

  it('when the server has no Redis, then it says how to get one and exits 1', async () => {
    stub.answer(
      json(503, { error: { code: 'CAMPAIGNS_NEED_REDIS', message: 'Campaigns need Redis.' } }),
    );
    const result = await run(['list']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('docker compose up');
    expect(result.err).toContain('redis-server');
    expect(result.err).toContain('REDIS_URL=');
  });

  it('when the server cannot be reached, then it says so and exits 1', async () => {
    const io = memoryIO({ env: { API_KEY: KEY } });
    const server = (await refusedBaseUrl()).replace(/\/1\.0$/, '');
    await expect(command(['list', '--server', server], io)).resolves.toBe(1);
    expect(io.err()).toMatch(
      /^tropo-app campaign list: cannot reach the server at http:\/\/127\.0\.0\.1:\d+ \(.+\): is it running\?/,
    );
  });

  it('when campaigns exist, then list, status, report and cancel print them', async () => {
    await run([
      'create',
      await file('c.csv', CSV),
      '--app',
      'appointment-reminder',
      '--name',
      'Friday',
    ]);
    expect((await run(['list'])).out).toBe(
      'c-1 "Friday" (appointment-reminder) scheduled, 0/2 finished: scheduled 2\n',
    );
    expect((await run(['status', 'c-1'])).out).toBe(
      'c-1 "Friday" (appointment-reminder) running, 0/2 finished: scheduled 1, launched 1\n',
    );
    expect(JSON.parse((await run(['status', 'c-1', '--json'])).out)).toMatchObject({
      id: 'c-1',
      state: 'done',
    });
    expect((await run(['report', 'c-1'])).out).toBe(
      'id,status,attempts\nr-001,confirmed,1\nr-002,busy,3\n',
    );
    const cancelled = await run(['cancel', 'c-1']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toContain('c-1 "Friday" (appointment-reminder) cancelled');
    expect(stub.requests.at(-1)?.method).toBe('DELETE');
  });

  it('when watched without a terminal, then it prints a line per change until the campaign is done', async () => {
    await run(['create', await file('c.csv', CSV), '--app', 'appointment-reminder']);
    const watched = await run(['status', 'c-1', '--watch', '--interval', '0.05']);
    expect(watched.code).toBe(0);
    expect(watched.out.trim().split('\n')).toEqual([
      'c-1 (appointment-reminder) running, 0/2 finished: scheduled 1, launched 1',
      'c-1 (appointment-reminder) done, 2/2 finished: confirmed 1, busy 1',
    ]);
  });

  it('when watched on a terminal through a lost connection, then the bar redraws in place and the watch goes on', async () => {
    await run(['create', await file('c.csv', CSV), '--app', 'appointment-reminder']);
    stub.answer({ drop: true }, json(502, { error: { code: 'INTERNAL', message: 'restarting' } }));
    const watched = await run(['status', 'c-1', '--watch'], { isTTY: true });
    expect(watched.code).toBe(0);
    expect(watched.err).toContain('cannot reach the server');
    expect(watched.err.match(/asking again/g)).toHaveLength(1);
    expect(watched.out).toContain('\r\x1b[2K[');
    expect(watched.out.endsWith('] 100% 2/2 done: confirmed 1, busy 1\n')).toBe(true);
  });
});

describe('describe', () => {
  it('when counts hold statuses it does not know, then they are shown last and still counted', () => {
    expect(
      describeCampaign({ id: 'c', state: 'running', counts: { paused: 2, confirmed: 1 } }),
    ).toBe('c running, 1/3 finished: confirmed 1, paused 2');
  });
});
