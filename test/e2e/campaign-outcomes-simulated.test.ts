/** End to end: the shipped appointment reminder launched like a campaign in the simulator, its ctx.outcome shown by `simulate --campaign` and checked by `tropo-app test`'s `expect.outcome`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import type { Transcript } from '../../src/simulator';
import { memoryIO } from '../helpers/memory-io';

const LAUNCH = [
  '--app',
  'appointment-reminder',
  '--param',
  'numberToDial=+14075551212',
  '--param',
  'msg=Dentist on Friday',
  '--param',
  'confirm=true',
];

describe('simulate --campaign', () => {
  it('when the callee presses 1, then the transcript shows the outcome confirmed where it was reported', async () => {
    const io = memoryIO();
    await expect(runCli(['simulate', ...LAUNCH, '--campaign', '--input', '1'], io)).resolves.toBe(
      0,
    );
    const lines = io.out().split('\n');
    const at = lines.findIndex((l) => /\] The app reports outcome: confirmed$/.test(l));
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.includes('POSTs result #1')));
    expect(lines[at + 1]).toMatch(/The app answers 200: say, hangup/);
    // The launch shows the reference a dispatcher adds; its signature is hidden like the token.
    expect(io.out()).toMatch(
      /campaign=simulated, reminder=[0-9a-f]{32}, attempt=1, campaignRef=\[REDACTED\]/,
    );
  });

  it('when printed as JSON, then "reported" lists the outcome and the signature stays hidden', async () => {
    const io = memoryIO();
    await runCli(['simulate', ...LAUNCH, '--campaign', '--input', '2', '--json'], io);
    const t = JSON.parse(io.out()) as Transcript;
    expect(t.reported).toEqual([expect.objectContaining({ outcome: 'declined', recorded: true })]);
    const parameters = (t.exchanges[0]?.request as { session: { parameters: object } }).session
      .parameters;
    expect(parameters).toMatchObject({ campaign: 'simulated', campaignRef: '[REDACTED]' });
  });

  it('when the launch is not a campaign, then no outcome is shown (ctx.outcome reports nowhere)', async () => {
    const io = memoryIO();
    await runCli(['simulate', ...LAUNCH, '--input', '1', '--json'], io);
    const t = JSON.parse(io.out()) as Transcript;
    expect(t).not.toHaveProperty('reported');
    expect(t.lines.some((l) => /outcome/.test(l.text))).toBe(false);
  });

  it.each([
    [['--campaign', '--app', 'appointment-reminder'], /--campaign needs a launch/],
    [
      ['--campaign', '--url', 'http://127.0.0.1:9/start', '--param', 'a=1'],
      /--campaign needs --app/,
    ],
  ])('when %j, then a usage error (exit 2) says what is missing', async (argv, message) => {
    const io = memoryIO();
    await expect(runCli(['simulate', ...argv], io)).resolves.toBe(2);
    expect(io.err()).toMatch(message);
  });
});

describe('tropo-app test with expect.outcome', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outcome-scenarios-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const scenario = (inputs: string, outcome: string) => `name: reminder
app: appointment-reminder
launch: { numberToDial: '+14075551212', msg: 'Dentist on Friday', confirm: 'true' }
campaign: true
inputs: ${inputs}
expect:
  outcome: ${outcome}
`;

  it('when the app reports what the scenario expects, then PASS', async () => {
    const file = path.join(dir, 'ok.scenario.yaml');
    writeFileSync(file, scenario("['1']", 'confirmed'));
    const io = memoryIO();
    await expect(runCli(['test', file], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/^PASS reminder /m);
  });

  it('when it reports another outcome, then FAIL with expected vs actual and the reporting line', async () => {
    const file = path.join(dir, 'bad.scenario.yaml');
    writeFileSync(file, scenario("['2']", 'confirmed'));
    const io = memoryIO();
    await expect(runCli(['test', file], io)).resolves.toBe(1);
    expect(io.out()).toContain(
      '  expect.outcome\n    expected: "confirmed"\n    actual:   "declined"',
    );
    expect(io.out()).toMatch(/^ {2}> \[\d:\d\d\.\d\] The app reports outcome: declined$/m);
  });

  it('when the scenario expects no outcome ([]) and the app reports one, then FAIL saying so', async () => {
    // A callee who hangs up during the question still answered the call: the app says so.
    const file = path.join(dir, 'none.scenario.yaml');
    writeFileSync(file, scenario('[hangup]', '[]'));
    const io = memoryIO();
    await expect(runCli(['test', file], io)).resolves.toBe(1);
    expect(io.out()).toContain('expected: no outcome reported\n    actual:   "answered"');
  });
});
