/** Tests `tropo-app session create` against a stub Tropo: the id on stdout, Tropo's reason and exit codes on failure, and the token never printed. */
import { runCli } from '../../src/cli/index';
import { createSessionCommand } from '../../src/cli/session';
import { memoryIO, type MemoryIO } from '../helpers/memory-io';
import { restBody } from '../helpers/rest-vectors';
import { refusedBaseUrl, startStubTropo, type StubTropo } from '../helpers/stub-tropo';

const TOKEN = 'SECRETcli0123456789abcdef';

let stub: StubTropo;
let ios: MemoryIO[];

beforeEach(async () => {
  stub = await startStubTropo();
  ios = [];
});

afterEach(async () => {
  await stub.close();
  // Whatever the test checked, no output of any test may ever contain the token.
  for (const io of ios) expect(io.out() + io.err()).not.toContain('SECRETcli');
});

function io(env: Record<string, string> = {}): MemoryIO {
  const made = memoryIO({ env });
  ios.push(made);
  return made;
}

/** The command with retries that do not wait, so failure tests stay fast. */
const session = createSessionCommand({ sleep: () => Promise.resolve() });

describe('tropo-app session create', () => {
  it('when Tropo starts the session, then only the id is printed and the parameters were sent', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, XML') });
    const out = io();

    const code = await session(
      ['create', '--token', TOKEN, '--api', stub.baseUrl, 'numberToDial=+14155551212', 'msg=a=b c'],
      out,
    );

    expect(code).toBe(0);
    expect(out.out()).toBe('ID\n');
    expect(out.err()).toBe('');
    expect(stub.requests).toHaveLength(1);
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toEqual({
      token: TOKEN,
      numberToDial: '+14155551212',
      msg: 'a=b c',
    });
  });

  it('when the token and API come from TROPO_TOKEN and TROPO_API_URL, then they are used', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, JSON') });
    const out = io({ TROPO_TOKEN: TOKEN, TROPO_API_URL: stub.baseUrl });

    await expect(session(['create', 'a=1'], out)).resolves.toBe(0);

    expect(out.out()).toBe('ID\n');
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toEqual({ token: TOKEN, a: '1' });
  });

  it('when run through the CLI dispatcher, then the session command is registered', async () => {
    stub.answer({ body: restBody('session-api-response', 'success, XML') });
    const out = io({ TROPO_TOKEN: TOKEN });

    await expect(runCli(['session', 'create', `--api=${stub.baseUrl}`], out)).resolves.toBe(0);

    expect(out.out()).toBe('ID\n');
  });

  it("when Tropo refuses, then it exits 1 printing Tropo's reason", async () => {
    stub.answer({
      body: `<session><success>false</success><token>${TOKEN}</token><reason>FAILED TO ROUTE TOKEN</reason></session>`,
    });
    const out = io();

    const code = await session(['create', `--token=${TOKEN}`, '--api', stub.baseUrl], out);

    expect(code).toBe(1);
    expect(out.out()).toBe('');
    expect(out.err()).toContain('FAILED TO ROUTE TOKEN');
  });

  it('when Tropo cannot be reached, then it reports the retries and exits 1', async () => {
    const out = io({ TROPO_TOKEN: TOKEN });

    const code = await session(['create', '--api', await refusedBaseUrl()], out);

    expect(code).toBe(1);
    expect(out.err()).toMatch(/retrying in \d+ ms/);
    expect(out.err()).toContain('ECONNREFUSED');
  });

  it('when Tropo answers 500 twice then succeeds, then the id is printed', async () => {
    stub.answer(
      { status: 500 },
      { status: 502 },
      { body: restBody('session-api-response', 'success, XML') },
    );
    const out = io({ TROPO_TOKEN: TOKEN });

    await expect(session(['create', '--api', stub.baseUrl], out)).resolves.toBe(0);

    expect(out.out()).toBe('ID\n');
    expect(stub.requests).toHaveLength(3);
  });

  it('when run dry, then nothing is sent and stderr shows the request with the token redacted', async () => {
    const out = io({ TROPO_TOKEN: TOKEN });

    const code = await session(
      ['create', '--dry-run', '--api', stub.baseUrl, 'numberToDial=+1415'],
      out,
    );

    expect(code).toBe(0);
    expect(stub.requests).toHaveLength(0);
    expect(out.out()).toMatch(/^dry-run-[0-9a-f]{16}\n$/);
    expect(out.err()).toContain(`would POST ${stub.baseUrl}/sessions`);
    expect(out.err()).toContain('"token":"[Redacted]"');
    expect(out.err()).toContain('"numberToDial":"+1415"');
  });

  it('when no token is given, then it exits 2 with usage', async () => {
    const out = io();
    await expect(session(['create', '--api', stub.baseUrl], out)).resolves.toBe(2);
    expect(out.err()).toContain('no token');
    expect(out.err()).toContain('usage: tropo-app session create');
    expect(stub.requests).toHaveLength(0);
  });

  it('when the token is typed without --token, then the usage error does not echo it', async () => {
    const out = io({ TROPO_TOKEN: 'other-token' });
    await expect(session(['create', '--api', stub.baseUrl, TOKEN], out)).resolves.toBe(2);
    expect(out.err()).toContain('parameter #1 is not of the form name=value');
  });

  it('when the token is given as a token= parameter, then it is refused without echoing it', async () => {
    const out = io({ TROPO_TOKEN: 'other-token' });
    await expect(session(['create', `token=${TOKEN}`], out)).resolves.toBe(2);
    expect(out.err()).toContain('--token');
    expect(stub.requests).toHaveLength(0);
  });

  it('when the token lands where the sub-command goes, then it is not echoed', async () => {
    const out = io();
    await expect(session([TOKEN, 'create'], out)).resolves.toBe(2);
    expect(out.err()).toContain('unknown sub-command');
  });

  it('when an option is unknown or the API URL is malformed, then it exits 2', async () => {
    const unknown = io({ TROPO_TOKEN: TOKEN });
    await expect(session(['create', '--tokn', TOKEN], unknown)).resolves.toBe(2);
    expect(unknown.err()).toContain("Unknown option '--tokn'");

    const badUrl = io();
    await expect(session(['create', '--token', TOKEN, '--api', 'nope'], badUrl)).resolves.toBe(2);
    expect(badUrl.err()).toContain('not a valid absolute URL');
  });

  it('when asked for help or given no sub-command, then usage goes to stdout (0) or stderr (2)', async () => {
    const help = io();
    await expect(session(['create', '--help'], help)).resolves.toBe(0);
    expect(help.out()).toContain('TROPO_TOKEN');

    const none = io();
    await expect(session([], none)).resolves.toBe(2);
    expect(none.err()).toContain('missing sub-command');
  });
});
