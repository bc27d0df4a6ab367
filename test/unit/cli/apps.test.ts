/** `tropo-app apps`: one line per registered app (or JSON), the APPS setting honoured, and the 0/1/2 exit codes. */
import { runCli } from '../../../src/cli/index';
import { apps } from '../../../src/cli/apps';
import { loadApps } from '../../../src/server/registry';
import { memoryIO } from '../../helpers/memory-io';

// Compared with the registry itself, never with a pinned list of the shipped apps.
const shipped = loadApps().list();

describe('tropo-app apps', () => {
  it('when run, then it prints one line per registered app with its channels and description, and exits 0', async () => {
    const io = memoryIO();
    await expect(apps([], io)).resolves.toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(shipped.length);
    shipped.forEach((app, i) => {
      expect(lines[i]?.split(/\s+/)[0]).toBe(app.name);
      expect(lines[i]).toContain(app.channels.join(','));
      expect(lines[i]).toContain(app.description);
    });
    expect(io.err()).toBe('');
  });

  it('when given --json, then it prints the same apps as JSON', async () => {
    const io = memoryIO();
    await expect(apps(['--json'], io)).resolves.toBe(0);
    expect(JSON.parse(io.out())).toEqual(
      shipped.map((app) => ({
        name: app.name,
        kind: app.kind,
        channels: [...app.channels],
        description: app.description,
      })),
    );
  });

  it('when APPS restricts the apps, then only those are listed', async () => {
    const first = shipped[0]?.name ?? '';
    const io = memoryIO({ env: { APPS: first } });
    await expect(apps(['--json'], io)).resolves.toBe(0);
    expect((JSON.parse(io.out()) as Array<{ name: string }>).map((a) => a.name)).toEqual([first]);
  });

  it('when APPS names an app that does not exist, then it says so on stderr and exits 1', async () => {
    const io = memoryIO({ env: { APPS: 'no-such-app' } });
    await expect(apps([], io)).resolves.toBe(1);
    expect(io.err()).toContain('APPS names "no-such-app"');
    expect(io.out()).toBe('');
  });

  it('when the environment is invalid, then the config error is printed and it exits 1', async () => {
    const io = memoryIO({ env: { APPS: 'Not A Name' } });
    await expect(apps([], io)).resolves.toBe(1);
    expect(io.err()).toContain('APPS');
  });

  it('when given an unknown argument, then usage on stderr and exit 2', async () => {
    const io = memoryIO();
    await expect(apps(['--yaml'], io)).resolves.toBe(2);
    expect(io.err()).toMatch(/usage: tropo-app apps \[--json\]/);
  });

  it('when run through the dispatcher, then the command is registered', async () => {
    const io = memoryIO();
    await expect(runCli(['apps', '--json'], io)).resolves.toBe(0);
    expect(JSON.parse(io.out())).toHaveLength(shipped.length);
  });
});
