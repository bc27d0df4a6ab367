/** Tests for `tropo-app simulate` and `tropo-app fake-tropo`: arguments, output forms and exit codes. */
import { runCli } from '../../../src/cli/index';
import { createFakeTropoCommand } from '../../../src/cli/fake-tropo';
import { parseSignal } from '../../../src/cli/simulate';
import { createSessionApiClient } from '../../../src/session-api';
import type { Transcript } from '../../../src/simulator';
import { memoryIO } from '../../helpers/memory-io';
import { refusedBaseUrl } from '../../helpers/stub-tropo';

const REMINDER = [
  'simulate',
  '--app',
  'appointment-reminder',
  '--param',
  'numberToDial=14075551212',
  '--param',
  'msg=Your appointment is tomorrow at 10',
  '--param',
  'confirm=true',
];

describe('tropo-app simulate', () => {
  it.each([
    [[], 'give exactly one of --url URL and --app NAME'],
    [['--url', 'http://x/start', '--app', 'ivr-menu'], 'give exactly one of'],
    [['--app', 'sms-relay', '--param', 'a=1', '--text', 'hi'], 'exclude each other'],
    [['--app', 'sms-relay', '--param', 'a=1', '--from', '+1415'], '--from and --to describe'],
    [['--app', 'ivr-menu', '--input', 'dtmf:abc'], 'key presses can only be 0-9'],
    [['--app', 'ivr-menu', '--call-outcome', 'maybe'], 'expected one of answer, busy, no-answer'],
    [['--app', 'ivr-menu', '--signal', 'exit'], '--signal expects NAME@SECONDS'],
    [['--app', 'ivr-menu', '--timeout-ms', '0'], '--timeout-ms must be a whole number'],
    [['--url', 'ftp://x/start'], '--url must be an http(s) URL'],
    [['--app', 'ivr-menu', '--param', 'token=abc'], 'give the token with --token'],
    [['--app', 'ivr-menu', '--bogus'], "Unknown option '--bogus'"],
  ])('when given %j, then it explains the usage error and exits 2', async (args, message) => {
    const io = memoryIO();
    await expect(runCli(['simulate', ...args], io)).resolves.toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain('usage: tropo-app simulate');
  });

  it('when the app does not exist, then the apps are listed and it exits 2', async () => {
    const io = memoryIO();
    await expect(runCli(['simulate', '--app', 'nope'], io)).resolves.toBe(2);
    expect(io.err()).toMatch(/no app named "nope"; the apps are .*ivr-menu/);
  });

  it('when the environment is invalid for --app, then it says so and exits 2', async () => {
    const io = memoryIO({ env: { APP_TIMEOUT_MS: 'soon' } });
    await expect(runCli(['simulate', '--app', 'ivr-menu'], io)).resolves.toBe(2);
    expect(io.err()).toContain('APP_TIMEOUT_MS');
  });

  it('when the reminder is simulated in process, then the readable transcript is printed, plain, and it exits 0', async () => {
    const io = memoryIO({ isTTY: false });
    await expect(runCli([...REMINDER, '--input', '1'], io)).resolves.toBe(0);
    const out = io.out();
    expect(out).toContain('Tropo → calls +14075551212');
    expect(out).toContain('Caller presses 1');
    expect(out).toContain('Tropo POSTs result #1 to /apps/appointment-reminder/on/confirm');
    expect(out).toContain('OK: the session ended normally (2 documents, 1 result)');
    expect(out).not.toContain('\u001b[');
  });

  it('when on a terminal, then the output is coloured unless NO_COLOR or --no-color', async () => {
    const coloured = memoryIO({ isTTY: true });
    await runCli([...REMINDER], coloured);
    expect(coloured.out()).toContain('\u001b[');
    const plain = memoryIO({ isTTY: true, env: { NO_COLOR: '1' } });
    await runCli([...REMINDER], plain);
    expect(plain.out()).not.toContain('\u001b[');
  });

  it('when --json and a --token are given, then the transcript is JSON and the token is not in it', async () => {
    const io = memoryIO();
    await runCli([...REMINDER, '--token', 'cli-secret-token', '--input', '2', '--json'], io);
    const transcript = JSON.parse(io.out()) as Transcript;
    expect(transcript.outcome?.status).toBe('completed');
    expect(transcript.exchanges).toHaveLength(2);
    expect(io.out()).not.toContain('cli-secret-token');
  });

  it('when an inbound text is simulated, then initialText carries it', async () => {
    const io = memoryIO({ env: { RELAY_TO: '+14155550123' } });
    await expect(
      runCli(
        [
          'simulate',
          '--app',
          'sms-relay',
          '--text',
          'On my way',
          '--from',
          '+14155550111',
          '--json',
        ],
        io,
      ),
    ).resolves.toBe(0);
    const transcript = JSON.parse(io.out()) as Transcript;
    expect(transcript.kind).toBe('text');
    expect(transcript.exchanges[0]?.request).toMatchObject({
      session: { initialText: 'On my way', from: { e164Id: '+14155550111', channel: 'TEXT' } },
    });
  });

  it('when the URL cannot be reached, then the failure is printed and it exits 1', async () => {
    const io = memoryIO();
    const url = `${await refusedBaseUrl()}/start`;
    await expect(runCli(['simulate', '--url', url], io)).resolves.toBe(1);
    expect(io.out()).toMatch(/^FAILED: the app failed: could not reach the app/m);
  });

  it('when a signal is written NAME@SECONDS, then it is read', () => {
    expect(parseSignal('exit@12.5')).toEqual({ name: 'exit', atSeconds: 12.5 });
  });
});

describe('tropo-app fake-tropo', () => {
  it.each([
    [[], '--start-url is required'],
    [['--start-url', 'nope'], '--start-url must be an http(s) URL'],
    [
      ['--start-url', 'http://x/start', '--port', '70000'],
      '--port must be a whole number from 0 to 65535',
    ],
    [['--start-url', 'http://x/start', '--input'], '--input: needs a value'],
  ])('when given %j, then it exits 2 with the reason', async (args, message) => {
    const io = memoryIO();
    await expect(createFakeTropoCommand()(args, io)).resolves.toBe(2);
    expect(io.err()).toContain(message);
  });

  it('when a session is launched while it runs, then its transcript is printed and it stops cleanly', async () => {
    const io = memoryIO();
    const url = `${await refusedBaseUrl()}/start`;
    const command = createFakeTropoCommand({
      untilStopped: async (fake) => {
        const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
        const { id } = await client.createSession({
          token: 'fake-cmd-token',
          parameters: { a: 'b' },
        });
        await fake.finished(id);
      },
    });
    await expect(command(['--start-url', url, '--port', '0'], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/^fake Tropo listening on http:\/\/127\.0\.0\.1:\d+: Session API at/);
    expect(io.out()).toContain('The Session API starts a session with a=b');
    expect(io.out()).toContain('could not reach the app');
    expect(io.err()).toMatch(/fake-tropo: session [0-9a-f]{32} started/);
    expect(io.out() + io.err()).not.toContain('fake-cmd-token');
  });
});
