import { runCli } from '../../src/cli/index';
import { memoryIO } from '../helpers/memory-io';

describe('tropo-app', () => {
  it('when run without a command, then prints usage to stderr and exits 2', async () => {
    const io = memoryIO();
    await expect(runCli([], io)).resolves.toBe(2);
    expect(io.err()).toMatch(/usage: tropo-app/);
  });

  it('when given an unknown command, then names it and exits 2', async () => {
    const io = memoryIO();
    await expect(runCli(['frobnicate'], io)).resolves.toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
  });

  it('when asked for help, then prints usage to stdout and exits 0', async () => {
    const io = memoryIO();
    await expect(runCli(['--help'], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/usage: tropo-app/);
  });
});
