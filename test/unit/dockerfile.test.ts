import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { loadConfig } from '../../src/runtime/config';
import {
  all,
  copyOf,
  envOf,
  execForm,
  healthcheckCommand,
  instructionsOf,
  last,
  readDockerfile,
  stagesOf,
} from '../helpers/dockerfile';

const ROOT = path.join(__dirname, '..', '..');
const { text, stages } = readDockerfile();
const build = stages[0];
const runtime = stages.at(-1);
if (!build || !runtime || stages.length !== 2)
  throw new Error('expected a build and a runtime stage');

/** The TypeScript source a compiled `dist/…/x.js` comes from. */
const sourceOf = (compiled: string) => compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts');

describe('the Dockerfile', () => {
  it('when linted, then dockerfile-utils reports nothing, not even a warning', () => {
    expect(validate(text)).toEqual([]);
  });

  it('when built, then both stages use the same pinned node 20 bookworm-slim image', () => {
    for (const stage of stages) expect(stage.from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    expect(runtime.from).toBe(build.from);
    expect(build.name).toBe('build');
  });

  it('when the build stage runs, then it installs every dependency and compiles', () => {
    const runs = all(build, 'RUN').map((r) => r.args);
    expect(runs[0]).toMatch(/^npm ci\b/);
    expect(runs[0]).not.toMatch(/--omit=dev/);
    expect(runs).toContain('npm run build');
  });

  it('when the runtime stage is assembled, then it holds production dependencies and the compiled output only', () => {
    expect(all(runtime, 'RUN').map((r) => r.args)).toEqual([
      expect.stringMatching(/^npm ci --omit=dev\b/),
    ]);
    const copies = all(runtime, 'COPY').map(copyOf);
    expect(copies).toEqual([
      { from: undefined, sources: ['package.json', 'package-lock.json'], dest: './' },
      { from: 'build', sources: ['/app/dist'], dest: './dist' },
    ]);
  });

  it('when the container runs, then node is PID 1 as a non-root user', () => {
    const cmd = execForm(last(runtime, 'CMD').args);
    expect(cmd[0]).toBe('node');
    expect(cmd).not.toContain('npm');
    expect(fs.existsSync(path.join(ROOT, sourceOf(cmd[1] ?? '')))).toBe(true);
    const user = last(runtime, 'USER').args;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // Installing needs root; everything after USER, the server included, runs without it.
    const lines = (k: string) => all(runtime, k).map((i) => i.line);
    expect(Math.max(...lines('RUN'))).toBeLessThan(last(runtime, 'USER').line);
  });

  it('when probed, then the health check runs node itself against the server', () => {
    const check = healthcheckCommand(runtime);
    expect(check[0]).toBe('node');
    expect(check.join(' ')).not.toMatch(/curl|wget/);
    expect(fs.existsSync(path.join(ROOT, sourceOf(check[1] ?? '')))).toBe(true);
  });

  it('when exposed, then the port is the one the image configures and the default PORT', () => {
    const env = envOf(runtime);
    expect(last(runtime, 'EXPOSE').args).toBe(env.PORT);
    expect(Number(env.PORT)).toBe(loadConfig({}).port);
    expect(env.HOST).toBe('0.0.0.0');
  });
});

describe('.dockerignore', () => {
  const rules = fs
    .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('when the context is sent, then everything is left out except what the build stage copies', () => {
    expect(rules[0]).toBe('*');
    const included = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1));
    const copied = all(build, 'COPY').flatMap((c) => copyOf(c).sources);
    expect(included.sort()).toEqual([...copied].sort());
    for (const secretOrBulky of ['.env', 'node_modules', 'dist', '.git', 'coverage']) {
      expect(included).not.toContain(secretOrBulky);
    }
  });
});

describe('the Dockerfile reader', () => {
  it('when instructions continue over lines with comments between, then they are joined', () => {
    const parsed = instructionsOf('FROM a AS b\n# note\nRUN one \\\n  # inner\n  two\nCMD ["x"]\n');
    expect(parsed).toEqual([
      { keyword: 'FROM', args: 'a AS b', line: 1 },
      { keyword: 'RUN', args: 'one two', line: 3 },
      { keyword: 'CMD', args: '["x"]', line: 6 },
    ]);
    expect(stagesOf('FROM a AS b\nRUN x\n')).toEqual([
      { from: 'a', name: 'b', instructions: [{ keyword: 'RUN', args: 'x', line: 2 }] },
    ]);
  });
});
