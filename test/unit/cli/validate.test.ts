/** `tropo-app validate`: output lines, --json, stdin, and the 0/1/2 exit codes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli/index';
import { validate } from '../../../src/cli/validate';
import { memoryIO } from '../../helpers/memory-io';

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tropo-validate-'));
  writeFileSync(file('good.json'), '{"tropo":[{"say":{"value":"Hi"}},{"hangup":null}]}');
  writeFileSync(
    file('warned.json'),
    '{"tropo":[{"hangup":"null"},{"say":{"value":"late","colour":1}}]}',
  );
  writeFileSync(
    file('bad.json'),
    '{"tropo":[{"say":{"value":"Hi"}},{"ask":{"say":{"value":"x"},"choices":{"value":"1","mode":"voice"}}}]}',
  );
  writeFileSync(file('text.json'), '{"tropo":[{"record":{"url":"http://a"}}]}');
  writeFileSync(file('broken.json'), '{"tropo":[');
  writeFileSync(file('bom.json'), '\uFEFF{"tropo":[]}');
  mkdirSync(file('folder'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], stdin?: string) {
  const io = memoryIO(stdin === undefined ? {} : { stdin });
  const code = await validate(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('tropo-app validate', () => {
  it('when every file is valid, then it prints nothing and exits 0', async () => {
    await expect(run([file('good.json'), file('bom.json')])).resolves.toEqual({
      code: 0,
      out: '',
      err: '',
    });
  });

  it('when a file only has warnings, then they are printed as warnings and it exits 0', async () => {
    const { code, out } = await run([file('warned.json')]);
    expect(code).toBe(0);
    expect(out.split('\n').filter(Boolean)).toEqual([
      `${file('warned.json')}: tropo[1].say.colour: warning: unknown key "colour" is not part of the WebAPI and is ignored`,
      `${file('warned.json')}: tropo[1].say: warning: never runs: it comes after hangup, which ends the call`,
    ]);
  });

  it('when a file is invalid, then each problem is a FILE: PATH: message line and it exits 1', async () => {
    const { code, out } = await run([file('good.json'), file('bad.json')]);
    expect(code).toBe(1);
    expect(out).toBe(
      `${file('bad.json')}: tropo[1].ask.choices.mode: must be one of "speech", "dtmf", "any"; got "voice"\n`,
    );
  });

  it.each([
    ['missing.json', 'cannot read: no such file'],
    ['broken.json', 'not JSON: '],
    ['folder', 'cannot read: is a directory'],
  ])('when %s cannot be read as JSON, then it says why and exits 2', async (name, message) => {
    const { code, out } = await run([file('bad.json'), file(name)]);
    expect(code).toBe(2);
    expect(out).toContain(`${file(name)}: ${message}`);
    expect(out).toContain(`${file('bad.json')}: tropo[1].ask.choices.mode`);
  });

  it('when given "-", then it reads standard input once, however often it is named', async () => {
    const { code, out } = await run(['-', '-'], '{"tropo":[{"say":{"value":5}}]}');
    expect(code).toBe(1);
    expect(out).toBe('<stdin>: tropo[0].say.value: expected a string; got 5\n'.repeat(2));
  });

  it('when asked for --json, then it prints one entry per file and keeps the exit code', async () => {
    const { code, out } = await run([
      '--json',
      file('good.json'),
      file('bad.json'),
      file('broken.json'),
    ]);
    expect(code).toBe(2);
    const entries = JSON.parse(out) as { file: string; valid: boolean; issues: unknown[] }[];
    expect(entries).toEqual([
      { file: file('good.json'), valid: true, issues: [] },
      {
        file: file('bad.json'),
        valid: false,
        issues: [
          {
            path: 'tropo[1].ask.choices.mode',
            message: 'must be one of "speech", "dtmf", "any"; got "voice"',
            severity: 'error',
          },
        ],
      },
      {
        file: file('broken.json'),
        valid: false,
        issues: [expect.objectContaining({ path: '', severity: 'error' })],
      },
    ]);
  });

  it('when given --channel text, then the channel rules apply', async () => {
    await expect(run([file('text.json')])).resolves.toMatchObject({ code: 0, out: '' });
    const { code, out } = await run(['--channel', 'text', file('text.json')]);
    expect(code).toBe(0);
    expect(out).toContain('tropo[0].record: warning: record only works on a voice call');
    await expect(run(['--channel=VOICE', file('text.json')])).resolves.toMatchObject({ code: 0 });
  });

  it.each([
    [[], /no file given/],
    [['--strict', 'x.json'], /unknown option "--strict"/],
    [['--channel', 'fax', 'x.json'], /--channel takes "voice" or "text", not "fax"/],
    [['--channel'], /--channel takes "voice" or "text"/],
  ])('when the arguments are %j, then it prints usage and exits 2', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain('usage: tropo-app validate');
  });

  it('when a file name starts with a dash after --, then it is read as a file', async () => {
    const { code, out } = await run(['--', '-nothing.json']);
    expect(code).toBe(2);
    expect(out).toContain('-nothing.json: cannot read: no such file');
  });

  it('when asked for help, then it prints usage to stdout and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('usage: tropo-app validate');
  });

  it('when run through the CLI dispatcher, then the command is registered', async () => {
    const io = memoryIO();
    await expect(runCli(['validate', file('bad.json')], io)).resolves.toBe(1);
    const help = memoryIO();
    await runCli(['--help'], help);
    expect(help.out()).toMatch(/validate\s+check WebAPI response documents/);
  });

  it('when run as a program with tsx (npm run cli), then the exit code reaches the shell', async () => {
    const tsx = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'index.ts');
    const exit = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(tsx, [cli, 'validate', ...args], { timeout: 30_000 }, (error, stdout) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
        });
      });
    await expect(exit([file('good.json')])).resolves.toEqual({ code: 0, stdout: '' });
    await expect(exit([file('bad.json')])).resolves.toMatchObject({ code: 1 });
    await expect(exit([file('missing.json')])).resolves.toMatchObject({ code: 2 });
    // Three cold tsx starts in a row: on a loaded machine that outlasts jest's default 20 s. The
    // limits only guard against a hang (each spawn has its own), so they are generous.
  }, 90_000);
});
