/** `tropo-app new NAME`: writes a working app (`apps/NAME/index.ts`) and the scenario that plays it. */
import fs from 'node:fs';
import path from 'node:path';
import { APP_NAME_PATTERN } from '../server/app-name';
import { renderScenario, TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './new-templates';
import { parseCommandArgs, usageError } from './args';
import { projectRoot } from './project';
import type { Command } from './types';

const USAGE = `usage: tropo-app new NAME [--template ${TEMPLATE_NAMES.join('|')}]

Writes apps/NAME/index.ts (an app that imports only src/sdk) and scenarios/NAME.scenario.yaml
(a scenario it passes, for tropo-app test). Never overwrites: an existing app or scenario of that
name is an error.

  NAME                   the app's name: lower-case letters, digits and dashes, at most 63,
                         starting with a letter or digit (it is a URL path segment)
  --template T           what the app starts as (default voice-menu):
${TEMPLATE_NAMES.map((t) => `                           ${t.padEnd(11)} ${TEMPLATES[t].summary}`).join('\n')}
  --apps-dir DIR         where apps live (default: the project's apps/)
  --scenarios-dir DIR    where scenarios live (default: the project's scenarios/)

Exit status: 0 written, 1 a file is in the way or cannot be written, 2 usage error.
`;

function isTemplate(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** The import specifier of `src/sdk` from `fromDir`, POSIX-style as TypeScript writes it. */
function sdkImport(fromDir: string, root: string): string {
  const relative = path
    .relative(fromDir, path.join(root, 'src', 'sdk'))
    .split(path.sep)
    .join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Writes the app and its scenario; refuses when either exists. */
export const newCommand: Command = (argv, io) => {
  const usage = (message: string) => Promise.resolve(usageError(io, 'new', USAGE, message));
  const parsed = parseCommandArgs(
    argv,
    {
      template: { type: 'string', short: 't' },
      'apps-dir': { type: 'string' },
      'scenarios-dir': { type: 'string' },
    },
    io,
    'new',
    USAGE,
  );
  if (typeof parsed === 'number') return Promise.resolve(parsed);
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usage('give exactly one NAME');
  const name = positionals[0] ?? '';
  if (!APP_NAME_PATTERN.test(name)) {
    return usage(
      `"${name}" is not an app name: use lower-case letters, digits and dashes (at most 63), starting with a letter or digit`,
    );
  }
  const templateName = values.template ?? 'voice-menu';
  if (!isTemplate(templateName)) {
    return usage(`no template "${templateName}"; the templates are ${TEMPLATE_NAMES.join(', ')}`);
  }
  const template = TEMPLATES[templateName];

  const root = projectRoot().dir;
  const appsDir = path.resolve(values['apps-dir'] ?? path.join(root, 'apps'));
  const scenariosDir = path.resolve(values['scenarios-dir'] ?? path.join(root, 'scenarios'));
  const appDir = path.join(appsDir, name);
  const appFile = path.join(appDir, 'index.ts');
  const scenarioFile = path.join(scenariosDir, `${name}.scenario.yaml`);
  // Every way an app of this name could already exist: a folder, or a static document.
  const inTheWay = [appDir, path.join(appsDir, `${name}.json`), scenarioFile].filter((p) =>
    fs.existsSync(p),
  );
  if (inTheWay.length > 0) {
    io.stderr(
      `tropo-app new: not overwriting ${inTheWay.map((p) => path.relative(process.cwd(), p) || p).join(', ')}; pick another name or remove it first\n`,
    );
    return Promise.resolve(1);
  }

  try {
    fs.mkdirSync(appDir, { recursive: true });
    fs.mkdirSync(scenariosDir, { recursive: true });
    // `wx`: fail rather than overwrite, should a file appear between the check and the write.
    fs.writeFileSync(appFile, template.app(name, sdkImport(appDir, root)), { flag: 'wx' });
    fs.writeFileSync(
      scenarioFile,
      renderScenario(name, template.scenario(name), template.more?.(name)),
      { flag: 'wx' },
    );
  } catch (err) {
    io.stderr(`tropo-app new: ${err instanceof Error ? err.message : String(err)}\n`);
    return Promise.resolve(1);
  }
  const shown = (p: string) => path.relative(process.cwd(), p) || p;
  io.stdout(
    `Wrote ${shown(appFile)} (${templateName}) and ${shown(scenarioFile)}.\n` +
      `Play it:  npm run -s cli -- simulate --app ${name}${simulateHint(templateName)}\n` +
      `Check it: npm run -s cli -- test ${shown(scenarioFile)}\n`,
  );
  return Promise.resolve(0);
};

/** The simulate flags that play the template's scenario by hand. */
function simulateHint(template: TemplateName): string {
  switch (template) {
    case 'voice-menu':
      return ' --input 1';
    case 'reminder':
      return ' --param numberToDial=+14075551212 --param msg="Your appointment is tomorrow at 10." --input 1';
    case 'sms':
      return ' --text "Running 10 minutes late"';
  }
}
