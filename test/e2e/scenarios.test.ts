/**
 * The shipped scenarios as a CI gate: `tropo-app test scenarios/` passes, and every committed app,
 * and every app with a scenario of its own, has scenarios reaching all its handlers. An app being
 * written (not yet added to git, no scenario yet) is left out, so trying one never breaks npm test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import { loadApps } from '../../src/server/registry';
import { committedApps } from '../helpers/committed-apps';
import { memoryIO } from '../helpers/memory-io';

const SCENARIOS = path.join(__dirname, '..', '..', 'scenarios');

describe('the shipped scenarios', () => {
  let out = '';
  let code: number;

  beforeAll(async () => {
    const io = memoryIO();
    code = await runCli(['test', SCENARIOS, '--coverage'], io);
    out = io.out() + io.err();
  });

  it('when tropo-app test runs them, then none fails and it exits 0', () => {
    // On a failure the whole output (FAIL lines, expected vs actual, transcript) is the message.
    expect(out).not.toMatch(/^FAIL /m);
    expect(out).toMatch(/^\d+ passed, 0 failed$/m);
    expect(code).toBe(0);
  });

  const committed = committedApps();
  const withScenario = (name: string) =>
    fs.readdirSync(SCENARIOS).some((f) => f.startsWith(`${name}.scenario.`));
  it.each(
    loadApps()
      .list()
      .filter((app) => committed.has(app.name) || withScenario(app.name))
      .map((app) => [app.name]),
  )('when the scenarios run, then every handler of %s is reached', (name) => {
    const line = new RegExp(`^ {2}${name}: (\\d+)/(\\d+) handlers reached`, 'm').exec(out);
    // No line: the app has no scenario; add scenarios/<app>.scenario.yaml.
    expect(line?.[0]).toBeDefined();
    expect(line?.[1]).toBe(line?.[2]);
  });
});
