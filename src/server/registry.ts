/** The app registry: finds apps under `apps/` (folders and static `.json` documents) and checks them at start-up. */
import fs from 'node:fs';
import path from 'node:path';
import type {
  AppChannel,
  AppDefinition,
  AppEnvironment,
  AppSettings,
  SettingsSchema,
} from '../sdk/define-app';
import { validateDocument, type Issue } from '../tropo';
import { APP_NAME_PATTERN } from './app-name';
import { toError } from './loggable-error';

/** An app module registered with the server. */
export interface ModuleApp {
  kind: 'module';
  name: string;
  description: string;
  channels: readonly AppChannel[];
  definition: AppDefinition<unknown, AppSettings>;
  /** The app's settings, checked against its schema when it was registered (`ctx.settings`). */
  settings: AppSettings;
}

/** A static document served as-is, as the seed served `index.json`. */
export interface StaticApp {
  kind: 'static';
  name: string;
  description: string;
  channels: readonly AppChannel[];
  /** The document as written, serialised once at start-up. */
  body: string;
}

export type RegisteredApp = ModuleApp | StaticApp;

/** Thrown at start-up when an app cannot be registered; the message names the file and every problem. */
export class AppLoadError extends Error {
  constructor(
    readonly source: string,
    problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Cannot load app ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'AppLoadError';
  }
}

/** The registered apps by name; lookups never reach Object.prototype. */
export class AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  constructor(apps: Iterable<RegisteredApp>) {
    for (const app of apps) {
      if (this.apps.has(app.name)) throw new AppLoadError(app.name, ['two apps have this name']);
      this.apps.set(app.name, app);
    }
  }

  /** The app of that name, if registered (any string is safe to pass). */
  get(name: string): RegisteredApp | undefined {
    return this.apps.get(name);
  }

  /** A registered app module (not a static document) of that name. */
  module(name: string): ModuleApp | undefined {
    const app = this.apps.get(name);
    return app?.kind === 'module' ? app : undefined;
  }

  /** A registered static document of that name. */
  static(name: string): StaticApp | undefined {
    const app = this.apps.get(name);
    return app?.kind === 'static' ? app : undefined;
  }

  /** Every registered app, sorted by name. */
  list(): RegisteredApp[] {
    return [...this.apps.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

function formatIssues(issues: readonly Issue[]): string[] {
  return issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
}

/** Keys whose values look secret: a bad value of one is never echoed in an error. */
const SECRET_LOOKING =
  /TOKEN|SECRET|PASS|KEY|AUTH|CREDENTIAL|PRIVATE|SIGNATURE|COOKIE|SESSION|URL|URI|DSN/i;

/** The environment keys an app's settings schema declares (empty when it declares none). */
export function settingKeys(
  definition: Pick<AppDefinition<unknown, AppSettings>, 'settings'>,
): string[] {
  return definition.settings ? Object.keys(definition.settings.shape) : [];
}

/**
 * Checks the environment against an app's settings schema: only the keys it declares are read,
 * and an empty value counts as unset (as `KEY=` copied from `.env.example` means "not set").
 */
function checkSettings(
  name: string,
  schema: SettingsSchema | undefined,
  env: AppEnvironment,
  source: string,
): AppSettings {
  if (!schema) return Object.freeze({});
  if (typeof schema.shape !== 'object' || typeof schema.safeParse !== 'function') {
    throw new AppLoadError(source, ['settings is not a zod object schema (z.object({...}))']);
  }
  const given: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') given[key] = value;
  }
  const parsed = schema.safeParse(given);
  if (parsed.success) return Object.freeze({ ...parsed.data });
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(settings)';
    const top = String(issue.path[0] ?? '');
    const raw = given[top];
    if (raw === undefined && issue.code === 'invalid_type') {
      return `setting ${key}: required by app "${name}", and not set (see .env.example)`;
    }
    const shown =
      raw === undefined || SECRET_LOOKING.test(top) ? '' : ` (got ${JSON.stringify(raw)})`;
    return `setting ${key}: ${issue.message}${shown}`;
  });
  throw new AppLoadError(source, problems);
}

/**
 * Registers an app module's definition, checking its name and shape, and its settings against
 * `env` (the environment the runtime hands over; default: none set).
 */
export function moduleApp<P, S extends AppSettings>(
  typed: AppDefinition<P, S>,
  source = typed.name,
  env: AppEnvironment = {},
): ModuleApp {
  // The pipeline hands `start` only params and settings produced by this app's own schemas, so
  // erasing P and S is sound.
  const definition = typed as unknown as AppDefinition<unknown, AppSettings>;
  const problems: string[] = [];
  if (!APP_NAME_PATTERN.test(definition.name))
    problems.push(`name "${definition.name}" is not URL-safe`);
  if (typeof definition.start !== 'function') problems.push('start is not a function');
  if (definition.channels.length === 0) problems.push('channels is empty');
  if (problems.length > 0) throw new AppLoadError(source, problems);
  return {
    kind: 'module',
    name: definition.name,
    description: definition.description,
    channels: definition.channels,
    definition,
    settings: checkSettings(definition.name, definition.settings, env, source),
  };
}

/** Registers a static document, validating it now so a broken one stops start-up. */
export function staticApp(name: string, document: unknown, source = `${name}.json`): StaticApp {
  if (!APP_NAME_PATTERN.test(name))
    throw new AppLoadError(source, [`name "${name}" is not URL-safe`]);
  const validation = validateDocument(document);
  if (!validation.ok) throw new AppLoadError(source, formatIssues(validation.issues));
  return {
    kind: 'static',
    name,
    description: `Static WebAPI document ${name}.json`,
    channels: ['voice', 'text'],
    // Served as written: a static app is the author's exact document, not our canonical form.
    body: JSON.stringify(document),
  };
}

function isDefinition(value: unknown): value is AppDefinition<unknown, AppSettings> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.start === 'function' && Array.isArray(v.channels);
}

function loadModule(file: string, folderName: string, env: AppEnvironment): ModuleApp {
  // `require`, not `import()`: apps are CommonJS here, and ts-jest cannot run a native import().
  let exported: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(file) as { default?: unknown };
  } catch (err) {
    // The app's own error is the cause, so its stack says which line of the app threw.
    throw new AppLoadError(file, [`throws when loaded: ${toError(err).message}`], { cause: err });
  }
  const definition = exported.default;
  if (!isDefinition(definition)) {
    throw new AppLoadError(file, ['the default export is not made by defineApp']);
  }
  if (definition.name !== folderName) {
    throw new AppLoadError(file, [
      `name "${definition.name}" differs from its folder "${folderName}"`,
    ]);
  }
  return moduleApp(definition, `${folderName} (${file})`, env);
}

function loadStatic(file: string, name: string): StaticApp {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppLoadError(file, [`not readable JSON: ${toError(err).message}`], { cause: err });
  }
  return staticApp(name, document, file);
}

/** The folder the shipped apps live in, next to `src/` in a checkout and in the compiled output. */
export const DEFAULT_APPS_DIR = path.join(__dirname, '..', '..', 'apps');

/**
 * Finds every app in `dir`: `<name>/index.(ts|js)` folders and `<name>.json` documents.
 * `only` (the APPS setting) restricts which are registered; naming a missing app is an error.
 * Each registered app's settings are checked against `env` (the runtime hands over the
 * environment; default: nothing set), so a missing or bad setting stops start-up.
 */
export function loadApps(
  dir: string = DEFAULT_APPS_DIR,
  only?: readonly string[],
  env: AppEnvironment = {},
): AppRegistry {
  const found: RegisteredApp[] = [];
  const wanted = only ? new Set(only) : undefined;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const index = ['index.ts', 'index.js']
        .map((f) => path.join(full, f))
        .find((f) => fs.existsSync(f));
      if (!index || (wanted && !wanted.has(entry.name))) continue;
      found.push(loadModule(index, entry.name, env));
    } else if (entry.isFile() && entry.name.endsWith('.json')) {
      const name = entry.name.slice(0, -'.json'.length);
      if (wanted && !wanted.has(name)) continue;
      found.push(loadStatic(full, name));
    }
  }
  if (wanted) {
    const missing = [...wanted].filter((name) => !found.some((app) => app.name === name));
    if (missing.length > 0)
      throw new AppLoadError(
        dir,
        missing.map((n) => `APPS names "${n}", which is not in ${dir}`),
      );
  }
  return new AppRegistry(found);
}
