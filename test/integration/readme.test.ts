/**
 * The README as a newcomer follows it: the transcript under "Try it without a phone" is what the
 * command prints, and the "Writing an app" example type-checks and plays both ways it documents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import { loadApps } from '../../src/server/registry';
import {
  appStartUrl,
  exitCodeOf,
  parseScriptArgs,
  simulate,
  startLocalServer,
  type SessionSpec,
} from '../../src/simulator';
import { memoryIO } from '../helpers/memory-io';
import { typeErrors } from '../helpers/type-check';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
jest.setTimeout(120_000);

/** The first fenced block of `lang` after the heading `heading`. */
function blockAfter(heading: string, lang: string): string {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no heading "${heading}"`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(README.slice(at));
  if (!match?.[1]) throw new Error(`no ${lang} block after "${heading}"`);
  return match[1];
}

/** `[m:ss.t] text` lines as seconds and text; ids and ports, which change each run, replaced. */
function timed(transcript: string): { at: number; text: string }[] {
  return transcript
    .trim()
    .split('\n')
    .map((line) => {
      const normal = line
        .replace(/\b[0-9a-f]{32}\b/g, '<id>')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
        .replace(/after \d+(\.\d)? s/, 'after <n> s');
      const m = /^\[(\d+):(\d\d\.\d)\] (.*)$/.exec(normal);
      return m
        ? { at: Number(m[1]) * 60 + Number(m[2]), text: m[3] ?? '' }
        : { at: -1, text: normal };
    });
}

describe('README', () => {
  it("when the reminder command of 'Try it without a phone' runs, then it prints the transcript shown, its times off only where the app answers", async () => {
    const command =
      /npm run -s cli -- (simulate --app appointment-reminder [^`]*?--input 1)\n/.exec(
        blockAfter('## Try it without a phone', 'sh').replace(/ \\\n\s*/g, ' '),
      );
    expect(command?.[1]).toBeDefined();
    // The shell's words: quoted values keep their spaces.
    const args = [...(command?.[1] ?? '').matchAll(/(\S+?)="([^"]*)"|(\S+)/g)].map(
      (m) => m[3] ?? `${m[1]}=${m[2]}`,
    );
    const io = memoryIO({ isTTY: false });
    await expect(runCli(args, io)).resolves.toBe(0);

    const shown = timed(blockAfter('## Try it without a phone', 'text'));
    const printed = timed(io.out());
    expect(printed.map((l) => l.text)).toEqual(shown.map((l) => l.text));
    // Simulated time is exact; only the app's real answer time is added (and differs per run),
    // so the offset between printed and shown times may change only where the app answers (a
    // tenth either way for rounding to tenths).
    printed.forEach((line, i) => {
      if (line.at < 0 || (printed[i - 1]?.at ?? -1) < 0) return; // Lines without a time.
      if (line.text.startsWith('The app answers')) return;
      const offset = line.at - (shown[i]?.at ?? 0);
      const before = (printed[i - 1]?.at ?? 0) - (shown[i - 1]?.at ?? 0);
      expect({ line: line.text, drift: Math.abs(offset - before) <= 0.1 + 1e-9 }).toEqual({
        line: line.text,
        drift: true,
      });
    });
  });

  describe('the "Writing an app" example', () => {
    let tmp: string;
    let file: string;

    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-readme-'));
      file = path.join(tmp, 'apps', 'survey', 'index.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Saved where the README says, but in a temporary folder: the SDK import points home.
      const source = blockAfter('### Writing an app', 'ts');
      expect(source).toContain("from '../../src/sdk';");
      fs.writeFileSync(
        file,
        source.replace("'../../src/sdk'", JSON.stringify(path.join(ROOT, 'src', 'sdk'))),
      );
    });

    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('when type-checked with the project settings, then it has no errors', () => {
      expect(typeErrors([file])).toEqual([]);
    });

    it('when played as an inbound call and when launched with --param, then both end normally with the answer said', async () => {
      const registry = loadApps(path.join(tmp, 'apps'), undefined, {});
      const server = await startLocalServer({ registry });
      try {
        const call: SessionSpec = { kind: 'voice', from: '+14155550100', to: '+14155550199' };
        const launch: SessionSpec = {
          kind: 'token',
          token: 'readme-example-token',
          parameters: { numberToDial: '+14075551212', question: 'Did you like the food?' },
        };
        for (const [session, prompt] of [
          [call, 'Do you like it?'],
          [launch, 'Did you like the food?'],
        ] as const) {
          const t = await simulate({
            startUrl: appStartUrl(server.origin, registry, 'survey') ?? '',
            session,
            script: parseScriptArgs(['--input', '1']).script,
            timeoutMs: 10_000,
          });
          const lines = t.lines.map((l) => l.text);
          expect({ lines, code: exitCodeOf(t) }).toEqual({ lines, code: 0 });
          expect(lines).toContain(`Tropo says: ${prompt}`);
          expect(lines).toContain('Tropo says: You said yes.');
          expect(t.lines.filter((l) => l.level !== 'info')).toEqual([]);
        }
      } finally {
        await server.close();
      }
    });
  });
});
