/** Tests that `tropo-app simulate --app` fails (exit 1, a FAILED: line) when the app throws, and shows the server's log lines and raw documents. */
import { createSimulateCommand } from '../../../src/cli/simulate';
import { defineApp } from '../../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../../src/server/registry';
import { ask, hangup, say } from '../../../src/tropo';
import { throwingApp } from '../../helpers/faulty-apps';
import { memoryIO } from '../../helpers/memory-io';

const registry = new AppRegistry([
  throwingApp(),
  moduleApp(
    defineApp({
      name: 'fine',
      description: 'says hello and hangs up',
      channels: ['voice'],
      start: () => [say('Hello & welcome.'), hangup()],
    }),
  ),
  moduleApp(
    defineApp({
      name: 'warns',
      description: 'an ask with a fixed name twice: a validation warning',
      channels: ['voice'],
      start: () => [
        say({ value: 'Hi.', voice: 'not-a-voice-anyone-has' }),
        ask({ name: 'a', choices: { value: '[1 DIGIT]' }, say: 'Press a key.', timeout: 1 }),
        hangup(),
      ],
    }),
  ),
]);

const simulate = createSimulateCommand({ localServer: { registry } });

describe('tropo-app simulate --app with a failing app', () => {
  it('when start throws, then it exits 1 with a FAILED line naming the error id, and shows the server log', async () => {
    const io = memoryIO();
    await expect(simulate(['--app', 'throws'], io)).resolves.toBe(1);
    const out = io.out();
    const id = /error id ([0-9a-f]{12})/.exec(out)?.[1];
    expect(id).toBeDefined();
    expect(out).toMatch(
      new RegExp(
        `Server log \\(error\\): answered a fallback document.*the database is down \\[error id ${id}\\]`,
      ),
    );
    expect(out).toMatch(new RegExp(`^FAILED: .*fallback document \\(error id ${id}\\)`, 'm'));
    expect(out).not.toMatch(/^OK:/m);
  });

  it('when start throws, then --json exits 1 and says why on stderr', async () => {
    const io = memoryIO();
    await expect(simulate(['--app', 'throws', '--json'], io)).resolves.toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ outcome: { status: 'app-failed' } });
    expect(io.err()).toMatch(/^FAILED: .*error id [0-9a-f]{12}/);
  });

  it('when the app works, then it exits 0 and --raw shows the document byte for byte', async () => {
    const io = memoryIO();
    await expect(simulate(['--app', 'fine', '--raw'], io)).resolves.toBe(0);
    expect(io.out()).toContain('raw, as the app sent it:');
    expect(io.out()).toContain('{"tropo":[{"say":[{"value":"Hello & welcome."}]},{"hangup":{}}]}');
    expect(io.out()).toMatch(/^OK:/m);
  });
});

describe('tropo-app simulate --strict', () => {
  it('when the document has warnings, then they show, and only --strict fails on them', async () => {
    const plain = memoryIO();
    await expect(simulate(['--app', 'warns'], plain)).resolves.toBe(0);
    expect(plain.out()).toMatch(/Warning: /);
    const strict = memoryIO();
    await expect(simulate(['--app', 'warns', '--strict'], strict)).resolves.toBe(1);
    expect(strict.out()).toMatch(/^FAILED: \d+ warnings? \(--strict fails on warnings\)/m);
  });
});
