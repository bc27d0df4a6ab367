/**
 * The product as it ships: `bench/targets/ours.ts` loads the compiled JavaScript that
 * `npm run build` makes and the Dockerfile runs (`node dist/src/runtime/main.js`), built here into
 * a scratch folder so that the bench never replaces a checkout's own `dist/`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Where the bench's build of the product goes (`.tmp/` is ignored by git). */
export const BUILD_DIR = join(ROOT, '.tmp', 'bench-build');

/**
 * Where `ours` loads the product from: the build (the default, what ships) or, with
 * `BENCH_OURS=sources`, the TypeScript sources through tsx (what `npm start` runs).
 */
export function productSource(env: NodeJS.ProcessEnv = process.env): 'build' | 'sources' {
  const value = env.BENCH_OURS?.trim() ?? '';
  if (value === '' || value === 'build') return 'build';
  if (value === 'sources') return 'sources';
  throw new Error(`BENCH_OURS must be build or sources, got "${value}"`);
}

/** Compiles the product with the build's own tsconfig into BUILD_DIR, static apps beside it, as `npm run build` lays out dist/. */
export function buildProduct(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      BUILD_DIR,
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const apps = join(ROOT, 'apps');
  mkdirSync(join(BUILD_DIR, 'apps'), { recursive: true });
  for (const name of readdirSync(apps)) {
    if (name.endsWith('.json')) copyFileSync(join(apps, name), join(BUILD_DIR, 'apps', name));
  }
}
