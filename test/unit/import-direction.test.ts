/**
 * The direction of imports is enforced by lint (eslint.config.js, no-restricted-imports per
 * folder): snippets linted as if they sat in each folder, a forbidden import refused, an allowed
 * one let through.
 */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const ROOT = path.join(__dirname, '..', '..');

// The project's own config, required here because ESLint would load it with import(), which jest
// cannot run; only the import rule, and no type information (the snippets' paths are not files of
// the TypeScript project): fast, and exactly the rule under test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectConfig = require(path.join(ROOT, 'eslint.config.js')) as Linter.Config[];
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [
    ...projectConfig,
    { languageOptions: { parserOptions: { projectService: false } } },
  ],
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

/** The no-restricted-imports messages for `code` linted as the file `filePath`. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`no lint result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const imp = (specifier: string) => `import { x } from '${specifier}';\nexport const y = x;\n`;

describe('import direction', () => {
  it.each([
    ['apps/x/index.ts', '../../src/server/registry', /apps import only the SDK/],
    ['apps/x/index.ts', '../../src/tropo', /apps import only the SDK/],
    ['src/phone/x.ts', '../simulator', /src\/phone drives the engine through its own modules/],
    ['src/phone/x.ts', '../simulator/local-server', /src\/phone drives the engine/],
    ['src/phone/x.ts', '../runtime/app', /src\/phone drives the engine/],
    ['apps/x/index.ts', '../../src/runtime/config', /apps import only the SDK/],
    ['apps/x/flow/step.ts', '../../../src/state', /apps import only the SDK/],
    ['apps/x/index.ts', '../../test/helpers/test-app', /routes, tests and benchmarks/],
    ['apps/x/index.ts', '../../routes/tropo', /routes, tests and benchmarks/],
    ['apps/x/index.ts', 'express', /apps know nothing of HTTP/],
    ['src/tropo/x.ts', '../sdk', /src\/tropo imports nothing of ours/],
    ['src/tropo/x.ts', 'pino', /src\/tropo does no I\/O/],
    ['src/tropo/verbs/x.ts', '../../server/errors', /src\/tropo imports nothing of ours/],
    ['src/tropo/verbs/x.ts', 'express', /src\/tropo does no I\/O/],
    ['src/server/x.ts', '../runtime/logger', /src\/server never imports src\/runtime or src\/cli/],
    [
      'src/server/http/x.ts',
      '../../cli/index',
      /src\/server never imports src\/runtime or src\/cli/,
    ],
    ['src/server/x.ts', '../simulator/campaign-launch', /src\/server never imports src\/simulator/],
    ['src/server/http/x.ts', '../../simulator', /src\/server never imports src\/simulator/],
    ['src/sdk/x.ts', '../server/registry', /src\/sdk imports only src\/tropo/],
    ['src/sdk/x.ts', '../simulator', /src\/sdk imports only src\/tropo/],
    ['src/sdk/x.ts', '../session-api', /src\/sdk imports only src\/tropo/],
    ['routes/x.ts', '../src/runtime/main', /routes import only src\/server/],
    ['routes/x.ts', '../apps/sms-relay', /routes import only src\/server/],
  ])('when %s imports %s, then lint refuses it and says why', async (file, specifier, why) => {
    const messages = await refusals(file, imp(specifier));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(why);
  });

  it('when the import is a re-export or type-only, then it is refused too', async () => {
    await expect(
      refusals('apps/x/index.ts', "export * from '../../src/server/registry';\n"),
    ).resolves.toHaveLength(1);
    await expect(
      refusals('apps/x/index.ts', "import type { Config } from '../../src/server/config';\n"),
    ).resolves.toHaveLength(1);
  });

  it.each([
    ['apps/x/index.ts', '../../src/sdk'],
    ['apps/x/index.ts', '../../src/sdk/phone'],
    ['apps/x/index.ts', 'zod'],
    ['apps/x/index.ts', './prompts'],
    ['apps/x/index.ts', 'node:crypto'],
    ['src/tropo/x.ts', './fields'],
    ['src/tropo/x.ts', 'zod'],
    ['src/tropo/verbs/x.ts', '../fields'],
    ['src/server/x.ts', '../tropo'],
    ['src/server/x.ts', '../sdk/define-app'],
    ['src/server/http/x.ts', '../errors'],
    ['src/sdk/x.ts', '../tropo'],
    ['routes/x.ts', '../src/server/pipeline'],
    ['routes/x.ts', 'express'],
    ['src/runtime/x.ts', '../server/app'],
    ['src/simulator/x.ts', '../server/outcomes'],
    ['src/phone/x.ts', '../simulator/engine'],
    ['src/simulator/x.ts', '../campaigns/refs'],
  ])('when %s imports %s, then lint lets it through', async (file, specifier) => {
    await expect(refusals(file, imp(specifier))).resolves.toEqual([]);
  });
});
