/**
 * `tropo-app new`: what it writes compiles under the project's strict settings, is formatted, loads
 * in the registry and plays under the simulator the way its scenario file says; it never
 * overwrites and refuses bad names. Everything is written to a temporary folder, never to apps/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newCommand } from '../../src/cli/new';
import {
  renderScenario,
  TEMPLATE_NAMES,
  TEMPLATES,
  yamlQuote,
  type ScenarioPlan,
} from '../../src/cli/new-templates';
import { loadApps } from '../../src/server/registry';
import {
  appStartUrl,
  exitCodeOf,
  parseScriptArgs,
  simulate,
  startLocalServer,
  type SessionSpec,
  type Transcript,
} from '../../src/simulator';
import { memoryIO } from '../helpers/memory-io';
import { typeErrors } from '../helpers/type-check';

const ROOT = path.join(__dirname, '..', '..');
const PRETTIER = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
jest.setTimeout(120_000);

let tmp: string;
let appsDir: string;
let scenariosDir: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-new-'));
  appsDir = path.join(tmp, 'apps');
  scenariosDir = path.join(tmp, 'scenarios');
  for (const template of TEMPLATE_NAMES) {
    const io = memoryIO();
    const code = await newCommand(
      [
        `demo-${template}`,
        '--template',
        template,
        '--apps-dir',
        appsDir,
        '--scenarios-dir',
        scenariosDir,
      ],
      io,
    );
    expect({ code, err: io.err() }).toEqual({ code: 0, err: '' });
  }
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const appFile = (template: string) => path.join(appsDir, `demo-${template}`, 'index.ts');

function sessionOf(plan: ScenarioPlan): SessionSpec {
  const start = plan.start;
  if ('call' in start) return { kind: 'voice', ...start.call };
  if ('text' in start)
    return { kind: 'text', from: '+14155550100', to: '+14155550199', text: start.text };
  return { kind: 'token', token: 'new-app-test-token', parameters: start.launch };
}

/** True when every needle is found in `lines`, in order (each after the line of the previous). */
function inOrder(lines: string[], needles: string[]): boolean {
  let at = 0;
  for (const needle of needles) {
    const found = lines.findIndex((line, i) => i >= at && line.includes(needle));
    if (found < 0) return false;
    at = found;
  }
  return true;
}

describe('tropo-app new', () => {
  it('when every template is written, then each app type-checks under the strict tsconfig', () => {
    expect(typeErrors(TEMPLATE_NAMES.map(appFile))).toEqual([]);
  });

  it('when written to the default place, then the app imports ../../src/sdk and nothing else of ours, and both files are formatted', () => {
    for (const template of TEMPLATE_NAMES) {
      const source = TEMPLATES[template].app('demo', '../../src/sdk');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports).toEqual(['../../src/sdk']);
      // Formatted as the project formats apps, so a new app passes `npm run format:check`
      // (prettier in a child: its CommonJS build imports ESM, which jest cannot load in process).
      const formatted = execFileSync(
        process.execPath,
        [PRETTIER, '--stdin-filepath', path.join(ROOT, 'apps', 'demo', 'index.ts')],
        { input: source, encoding: 'utf8' },
      );
      expect({ template, source }).toEqual({ template, source: formatted });
      const scenario = renderScenario('demo', TEMPLATES[template].scenario('demo'));
      const scenarioFormatted = execFileSync(
        process.execPath,
        [PRETTIER, '--stdin-filepath', path.join(ROOT, 'scenarios', 'demo.scenario.yaml')],
        { input: scenario, encoding: 'utf8' },
      );
      expect({ template, scenario }).toEqual({ template, scenario: scenarioFormatted });
    }
  });

  it('when played under the simulator, then each app does what its scenario file expects', async () => {
    const registry = loadApps(appsDir, undefined, {});
    const server = await startLocalServer({ registry });
    try {
      for (const template of TEMPLATE_NAMES) {
        const name = `demo-${template}`;
        const plan = TEMPLATES[template].scenario(name);
        const scenarioText = fs.readFileSync(
          path.join(scenariosDir, `${name}.scenario.yaml`),
          'utf8',
        );
        expect(scenarioText).toContain(`app: ${name}\n`);
        for (const said of plan.expect.says) expect(scenarioText).toContain(yamlQuote(said));

        const transcript: Transcript = await simulate({
          startUrl: appStartUrl(server.origin, registry, name) ?? '',
          session: sessionOf(plan),
          script: parseScriptArgs(plan.inputs.flatMap((i) => ['--input', i])).script,
          timeoutMs: 10_000,
        });
        const lines = transcript.lines.map((l) => l.text);
        const report = { template, lines };
        expect({ ...report, code: exitCodeOf(transcript) }).toEqual({ ...report, code: 0 });
        expect(transcript.lines.filter((l) => l.level !== 'info')).toEqual([]);
        expect({ ...report, says: inOrder(lines, plan.expect.says) }).toEqual({
          ...report,
          says: true,
        });
        const handlers = transcript.exchanges
          .filter((e) => e.purpose === 'result')
          .map((e) => new URL(e.url, server.origin).pathname.replace(`/apps/${name}/on/`, ''));
        expect({ template, handlers }).toEqual({ template, handlers: plan.expect.handlers });
        expect(plan.expect.ends).toBe('hangup');
        expect(lines.at(-1)).toMatch(/the app hung up$/);
      }
    } finally {
      await server.close();
    }
  });

  it('when the app or its scenario exists, then it overwrites nothing and exits 1', async () => {
    const before = fs.readFileSync(appFile('sms'), 'utf8');
    const io = memoryIO();
    const args = ['--apps-dir', appsDir, '--scenarios-dir', scenariosDir];
    await expect(newCommand(['demo-sms', '--template', 'voice-menu', ...args], io)).resolves.toBe(
      1,
    );
    expect(io.err()).toContain('not overwriting');
    expect(fs.readFileSync(appFile('sms'), 'utf8')).toBe(before);

    // Only the scenario is in the way: still nothing written, not even the app.
    fs.writeFileSync(path.join(scenariosDir, 'lonely.scenario.yaml'), 'name: mine\n');
    await expect(newCommand(['lonely', ...args], memoryIO())).resolves.toBe(1);
    expect(fs.existsSync(path.join(appsDir, 'lonely'))).toBe(false);
    // Nor a static document of that name.
    fs.writeFileSync(path.join(appsDir, 'static-one.json'), '{"tropo":[]}');
    await expect(newCommand(['static-one', ...args], memoryIO())).resolves.toBe(1);
  });

  it('when the name is not an app name or the template unknown, then usage and exit 2, nothing written', async () => {
    const args = ['--apps-dir', appsDir, '--scenarios-dir', scenariosDir];
    for (const bad of ['Demo', 'my_app', '-x', 'a'.repeat(64), '../up', '']) {
      const io = memoryIO();
      await expect(newCommand([bad, ...args], io)).resolves.toBe(2);
      expect(io.err()).toMatch(/not an app name|give exactly one NAME|tropo-app new/);
    }
    const io = memoryIO();
    await expect(newCommand(['fine', '--template', 'ivr', ...args], io)).resolves.toBe(2);
    expect(io.err()).toContain('no template "ivr"; the templates are voice-menu, reminder, sms');
    expect(fs.existsSync(path.join(appsDir, 'fine'))).toBe(false);
    await expect(newCommand([...args], memoryIO())).resolves.toBe(2);
  });
});
