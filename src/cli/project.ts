/** Where the project is: the folder of the package.json above the CLI (from src/cli or dist/src/cli). */
import fs from 'node:fs';
import path from 'node:path';

/** The project's root folder and its package.json. */
export function projectRoot(): { dir: string; version: string } {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
      return { dir, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}
