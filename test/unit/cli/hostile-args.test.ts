/** Tests that words naming Object.prototype members are plain arguments to simulate and fake-tropo (issue 16, item 8). */
import { createFakeTropoCommand } from '../../../src/cli/fake-tropo';
import { createSimulateCommand } from '../../../src/cli/simulate';
import { parseScriptArgs, type PostJson } from '../../../src/simulator';
import { memoryIO } from '../../helpers/memory-io';

const WORDS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'];
const URL_ARGS = ['--url', 'http://127.0.0.1:9/start'];

/** A poster that records the session body and answers a hang-up, so nothing leaves the process. */
function recordingPoster(bodies: string[]): PostJson {
  return (_url, body) => {
    bodies.push(body);
    return Promise.resolve({
      ok: true,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ tropo: [{ hangup: null }] }),
      truncated: false,
      durationMs: 1,
    });
  };
}

describe('parseScriptArgs', () => {
  it.each(WORDS)('when %s stands where a flag could, then it is left in rest untouched', (word) => {
    const { script, rest } = parseScriptArgs([word, 'x', `--${word}`, `--${word}=y`]);
    expect(rest).toEqual([word, 'x', `--${word}`, `--${word}=y`]);
    expect(script.inputs).toEqual([]);
  });

  it.each(WORDS)('when %s is an --input, then it is an answer like any other', (word) => {
    expect(parseScriptArgs(['--input', word]).script.inputs).toEqual([
      { kind: 'answer', text: word },
    ]);
  });
});

describe('tropo-app simulate', () => {
  it.each(WORDS.flatMap((w) => [[[w, 'x']], [[`--${w}`, 'x']], [[`--${w}=x`]]]))(
    'when given %j, then it is a usage error that names it, exit 2',
    async (args) => {
      const io = memoryIO();
      const bodies: string[] = [];
      const command = createSimulateCommand({ post: recordingPoster(bodies) });
      await expect(command([...URL_ARGS, ...args], io)).resolves.toBe(2);
      expect(io.err()).toContain('usage: tropo-app simulate');
      expect(io.err()).toContain((args[0] ?? '').split('=')[0]);
      expect(bodies).toEqual([]);
    },
  );

  it('when --param names are prototype members, then each reaches the session as a parameter', async () => {
    const io = memoryIO();
    const bodies: string[] = [];
    const command = createSimulateCommand({ post: recordingPoster(bodies) });
    const args = WORDS.flatMap((w, i) => ['--param', `${w}=v${i}`]);
    await expect(command([...URL_ARGS, ...args], io)).resolves.toBe(0);
    const session = (JSON.parse(bodies[0] ?? '{}') as { session: { parameters: object } }).session;
    expect(Object.getPrototypeOf(session.parameters)).toBe(Object.prototype);
    for (const [i, word] of WORDS.entries()) {
      expect(Object.getOwnPropertyDescriptor(session.parameters, word)?.value).toBe(`v${i}`);
    }
  });
});

describe('tropo-app fake-tropo', () => {
  it.each(WORDS.flatMap((w) => [[[w, 'x']], [[`--${w}`, 'x']]]))(
    'when given %j, then it is a usage error that names it, exit 2',
    async (args) => {
      const io = memoryIO();
      const command = createFakeTropoCommand({ untilStopped: () => Promise.resolve() });
      const argv = ['--start-url', 'http://127.0.0.1:9/start', '--port', '0', ...args];
      await expect(command(argv, io)).resolves.toBe(2);
      expect(io.err()).toContain('usage: tropo-app fake-tropo');
      expect(io.err()).toContain(args[0]);
    },
  );
});
