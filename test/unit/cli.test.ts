import { closestName, editDistance } from '../../src/cli/did-you-mean';
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

  it('when asked for its version, then prints the package version and exits 0', async () => {
    const { version } = jest.requireActual<{ version: string }>('../../package.json');
    for (const flag of ['--version', '-V', 'version']) {
      const io = memoryIO();
      await expect(runCli([flag], io)).resolves.toBe(0);
      expect(io.out()).toBe(`${version}\n`);
    }
  });

  it('when every listed command is given --help, then each prints its usage on stdout and exits 0', async () => {
    const listing = memoryIO();
    await runCli(['--help'], listing);
    const names = [...listing.out().matchAll(/^ {2}(\S+)\s/gm)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      for (const args of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
      ]) {
        const io = memoryIO();
        const code = await runCli(args, io);
        expect({ args, code, err: io.err() }).toEqual({ args, code: 0, err: '' });
        expect(io.out()).toMatch(new RegExp(`usage: tropo-app ${name}\\b`));
      }
    }
  });

  it('when a command is mistyped, then it suggests the nearest one; a far-off name gets no guess', async () => {
    const cases: [string, string][] = [
      ['simualte', 'simulate'],
      ['simulat', 'simulate'],
      ['serv', 'serve'],
      ['valdate', 'validate'],
      ['fake-tropp', 'fake-tropo'],
      ['APPS', 'apps'],
    ];
    for (const [typed, meant] of cases) {
      const io = memoryIO();
      await expect(runCli([typed], io)).resolves.toBe(2);
      expect(io.err()).toContain(`unknown command "${typed}"; did you mean "${meant}"?`);
    }
    const io = memoryIO();
    await runCli(['frobnicate'], io);
    expect(io.err()).not.toContain('did you mean');
  });
});

describe('did you mean', () => {
  it('when two words differ, then the edit distance counts insertions, deletions, changes and swaps', () => {
    expect(editDistance('simulate', 'simulate')).toBe(0);
    expect(editDistance('simualte', 'simulate')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('when nothing is near, then no suggestion; a prefix of two names is ambiguous', () => {
    expect(closestName('xyz', ['serve', 'apps'])).toBeUndefined();
    expect(closestName('s', ['serve', 'session'])).toBeUndefined();
    expect(closestName('se', ['serve', 'session'])).toBeUndefined();
    expect(closestName('ses', ['serve', 'session'])).toBe('session');
  });
});
