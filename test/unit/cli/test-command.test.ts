/** Tests for `tropo-app test`: scenario files, their errors (file, line, key), PASS/FAIL output, JUnit and snapshots. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGraphCommand } from '../../../src/cli/graph';
import { createTestCommand } from '../../../src/cli/test';
import { defineApp } from '../../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../../src/server/registry';
import { loadScenarioFile } from '../../../src/simulator/scenarios';
import { ask, hangup, on, say } from '../../../src/tropo';
import { throwingApp } from '../../helpers/faulty-apps';
import { memoryIO } from '../../helpers/memory-io';

const registry = new AppRegistry([
  throwingApp(),
  moduleApp(
    defineApp({
      name: 'menu',
      description: 'asks for one key',
      channels: ['voice'],
      start: (ctx) => [
        ask({ name: 'k', choices: { value: '[1 DIGIT]' }, say: 'Press a key.', timeout: 2 }),
        on({ event: 'continue', next: ctx.next('got') }),
      ],
      on: { got: () => [say('Thank you.'), hangup()] },
    }),
  ),
  moduleApp(
    defineApp({
      name: 'reports',
      description: 'reports confirmed when a campaign launched it',
      channels: ['voice'],
      start: async (ctx) => {
        if (ctx.campaign) await ctx.outcome('confirmed');
        return [hangup()];
      },
    }),
  ),
]);

const run = createTestCommand({ localServer: { registry } });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scenarios-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const GOOD = `scenarios:
  - name: presses one
    app: menu
    inputs: ["1"]
    expect:
      says: ["Press a key", "Thank you"]
      handlers: [got]
      ends: hangup
`;

describe('scenario files', () => {
  it.each([
    ['name: x\napp: menu\nexpect:\n  sayz: [a]\n', /:4: expect\.sayz: Unrecognized key/],
    [
      'scenarios:\n  - name: a\n    app: menu\n  - name: b\n    app: menu\n    inputs: 3\n',
      /:6: scenarios\.1\.inputs: /,
    ],
    ['name: x\n', /:1: app: give exactly one of app and url/],
    ['name: x\napp: menu\nlaunch: {a: 1}\ntext: hi\n', /:4: text: a launch excludes call and text/],
    ['name: [unclosed\n', /:\d+: /],
  ])('when a file is bad (%j), then the error names file, line and key', (text, message) => {
    const bad = file('bad.scenario.yaml', text);
    expect(() => loadScenarioFile(bad)).toThrow(message);
    expect(() => loadScenarioFile(bad)).toThrow(bad);
  });

  it('when a file is JSON, then it is read like YAML', () => {
    const json = file('a.scenario.json', JSON.stringify({ name: 'j', app: 'menu', inputs: ['1'] }));
    expect(loadScenarioFile(json)[0]?.scenario).toMatchObject({ name: 'j', inputs: ['1'] });
  });
});

describe('tropo-app test', () => {
  it('when every expectation is met, then PASS, the count line, and exit 0', async () => {
    file('good.scenario.yaml', GOOD);
    const io = memoryIO();
    await expect(run([dir], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/^PASS presses one \(.*good\.scenario\.yaml:2\)$/m);
    expect(io.out().trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
  });

  it('when an expectation is unmet, then FAIL with expected, actual and the transcript around it', async () => {
    file('bad.scenario.yaml', GOOD.replace('[got]', '[other]'));
    const io = memoryIO();
    await expect(run([dir], io)).resolves.toBe(1);
    expect(io.out()).toContain('FAIL presses one');
    expect(io.out()).toContain('expect.handlers[0]');
    expect(io.out()).toContain('expected: "other"');
    expect(io.out()).toMatch(/actual: +"\/apps\/menu\/on\/got"/);
    expect(io.out()).toMatch(/> \[\d:\d\d\.\d\] Tropo POSTs result #1/);
    expect(io.out().trimEnd().split('\n').pop()).toBe('0 passed, 1 failed');
  });

  it('when a campaign launch reports the expected outcome, then PASS; another, then FAIL at its line', async () => {
    const scenario = (outcome: string) =>
      `name: reports\napp: reports\nlaunch: {who: Ann}\ncampaign: true\nexpect: {outcome: ${outcome}}\n`;
    const pass = memoryIO();
    await expect(run([file('pass.scenario.yaml', scenario('confirmed'))], pass)).resolves.toBe(0);
    expect(pass.out()).toMatch(/^PASS reports/m);
    const fail = memoryIO();
    await expect(run([file('fail.scenario.yaml', scenario('declined'))], fail)).resolves.toBe(1);
    expect(fail.out()).toContain('expect.outcome');
    expect(fail.out()).toContain('expected: "declined"');
    expect(fail.out()).toMatch(/actual: +"confirmed"/);
    expect(fail.out()).toMatch(/> \[\d:\d\d\.\d\] The app reports outcome: confirmed$/m);
  });

  it('when a scenario expects an outcome without campaign: true, then the file is refused naming the key', async () => {
    const io = memoryIO();
    const withOutcome = GOOD.replace(
      '      ends: hangup\n',
      '      ends: hangup\n      outcome: confirmed\n',
    );
    const code = await run([file('outcome.scenario.yaml', withOutcome)], io);
    expect(code).toBe(1);
    expect(io.out()).toMatch(
      /outcome\.scenario\.yaml:9: scenarios\.0\.expect\.outcome: only a campaign launch reports an outcome/,
    );
  });

  it('when the app throws, then the scenario fails naming the error id, and exit 1', async () => {
    file('t.scenario.yaml', 'name: throws\napp: throws\n');
    const io = memoryIO();
    await expect(run([dir], io)).resolves.toBe(1);
    expect(io.out()).toMatch(/actual: +FAILED: .*fallback document \(error id [0-9a-f]{12}\)/);
    expect(io.out()).toMatch(
      /Server log \(error\): .*the database is down \[error id [0-9a-f]{12}\]/,
    );
  });

  it('when the failure is expected (ends: app-failed), then it passes', async () => {
    file(
      't.scenario.yaml',
      'name: throws\napp: throws\nexpect: {ends: app-failed, says: ["sorry"]}\n',
    );
    await expect(run([dir], memoryIO())).resolves.toBe(0);
  });

  it('when a file is bad, then it counts as failed and the good ones still run', async () => {
    file('good.scenario.yaml', GOOD);
    file('bad.scenario.yaml', 'name: x\napp: menu\nexpect: {ends: nowhere}\n');
    const io = memoryIO();
    const report = path.join(dir, 'junit.xml');
    await expect(run([dir, '--junit', report], io)).resolves.toBe(1);
    expect(io.out()).toMatch(/^FAIL .*bad\.scenario\.yaml:3: expect\.ends: /m);
    expect(io.out()).toContain('1 passed, 1 failed');
    expect(readFileSync(report, 'utf8')).toContain('<testsuites tests="2" failures="1"');
  });

  it('when --junit is given, then a JUnit report lists each scenario and its failure', async () => {
    file('bad.scenario.yaml', GOOD.replace('Thank you', 'Goodbye'));
    const report = path.join(dir, 'junit.xml');
    await expect(run([dir, '--junit', report], memoryIO())).resolves.toBe(1);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain('<testsuites tests="1" failures="1"');
    expect(xml).toContain('name="presses one"');
    expect(xml).toContain('<failure message="expect.says[1]');
  });

  it('when --update wrote a snapshot, then a later run passes, and fails once the transcript differs', async () => {
    const scenario = file('s.scenario.yaml', GOOD);
    await expect(run([dir, '--update'], memoryIO())).resolves.toBe(0);
    const snap = readFileSync(`${scenario}.snap`, 'utf8');
    expect(snap).toContain('=== presses one ===');
    expect(snap).toContain('127.0.0.1:<port>');
    expect(snap).not.toMatch(/\[\d:\d\d\.\d\]|[0-9a-f]{32}/);
    await expect(run([dir], memoryIO())).resolves.toBe(0);
    writeFileSync(
      `${scenario}.snap`,
      snap.replace('Tropo says: Thank you.', 'Tropo says: Thanks.'),
    );
    const io = memoryIO();
    await expect(run([dir], io)).resolves.toBe(1);
    expect(io.out()).toContain('snapshot (s.scenario.yaml.snap');
    expect(io.out()).toContain('expected: Tropo says: Thanks.');
  });

  it('when the path holds no scenario files, then it says so and exits 2', async () => {
    const io = memoryIO();
    await expect(run([dir], io)).resolves.toBe(2);
    expect(io.err()).toContain('no *.scenario.yaml files found');
  });
});

describe('tropo-app test --coverage and tropo-app graph', () => {
  const graphRegistry = new AppRegistry([
    moduleApp(
      defineApp({
        name: 'two-ways',
        description: 'asks for a key; one handler no scenario reaches',
        channels: ['voice'],
        start: (ctx) => [
          ask({ name: 'k', choices: { value: '[1 DIGIT]' }, say: 'Press a key.', timeout: 2 }),
          on({ event: 'continue', next: ctx.next('got') }),
          on({ event: 'incomplete', next: ctx.next('missed') }),
        ],
        on: { got: () => [say('Thank you.'), hangup()], missed: () => [hangup()] },
      }),
    ),
  ]);
  const scenario = 'name: presses\napp: two-ways\ninputs: ["1"]\nexpect: {handlers: [got]}\n';

  it('when a handler is never reached, then --coverage names it, with the events and verbs of the others', async () => {
    file('c.scenario.yaml', scenario);
    const io = memoryIO();
    const command = createTestCommand({ localServer: { registry: graphRegistry } });
    await expect(command([dir, '--coverage'], io)).resolves.toBe(0);
    expect(io.out()).toContain('two-ways: 2/3 handlers reached (1 scenario)');
    expect(io.out()).toMatch(/got +after continue; answered say, hangup/);
    expect(io.out()).toMatch(/missed +NOT REACHED/);
    expect(io.out()).toContain('unreached: missed');
  });

  it('when graphed, then Mermaid text with the observed edges and an HTML page with an SVG, unreached dashed', async () => {
    file('c.scenario.yaml', scenario);
    const out = path.join(dir, 'flow.html');
    const io = memoryIO();
    const graph = createGraphCommand({ localServer: { registry: graphRegistry } });
    await expect(graph(['two-ways', dir, '--out', out], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/^flowchart TD$/m);
    expect(io.out()).toMatch(/n0 -->\|session\| n1/);
    expect(io.out()).toMatch(/n1 -->\|continue\| n2/);
    expect(io.out()).toContain('missed (not reached)');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('stroke-dasharray');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
