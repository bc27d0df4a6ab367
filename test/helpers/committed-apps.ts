/** The apps committed to the repository: the ones CI holds to their duties (an app being written, not yet added, is left out). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Names of the apps under `apps/` that git tracks (folders with an index.ts, and static .json documents). */
export function committedApps(): Set<string> {
  const listed = execFileSync('git', ['ls-files', '--', 'apps'], { cwd: ROOT, encoding: 'utf8' });
  return new Set(
    listed
      .split('\n')
      .map((f) => /^apps\/([^/]+)\/index\.ts$/.exec(f)?.[1] ?? /^apps\/([^/]+)\.json$/.exec(f)?.[1])
      .filter((f): f is string => f !== undefined),
  );
}
