/** The shipped scenarios as a CI gate: `tropo-app test scenarios/` passes, and every shipped app has scenarios reaching all its handlers. */
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import { loadApps } from '../../src/server/registry';
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

  it.each(
    loadApps()
      .list()
      .map((app) => [app.name]),
  )('when the scenarios run, then every handler of %s is reached', (name) => {
    const line = new RegExp(`^ {2}${name}: (\\d+)/(\\d+) handlers reached`, 'm').exec(out);
    // No line: the app has no scenario; add scenarios/<app>.scenario.yaml.
    expect(line?.[0]).toBeDefined();
    expect(line?.[1]).toBe(line?.[2]);
  });
});
