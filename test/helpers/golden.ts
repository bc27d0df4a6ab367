/**
 * Golden bodies in test/fixtures/golden, compared byte for byte with what the server sent (key
 * order, escapes and all); `UPDATE_GOLDEN=1 npm test` rewrites them for review in git diff.
 */
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.join(__dirname, '..', 'fixtures', 'golden');

/** True when this run should rewrite golden files; refused under CI, where a check must stay a check. */
export function updatingGolden(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UPDATE_GOLDEN !== '1') return false;
  if (env.CI === 'true') {
    throw new Error(
      'UPDATE_GOLDEN=1 is refused under CI=true: golden files are checked in CI, never rewritten. ' +
        'Run UPDATE_GOLDEN=1 locally and commit the reviewed diff.',
    );
  }
  return true;
}

/**
 * Asserts that `body` (the response text, not its parsed JSON) is exactly the golden file
 * `name`.json; the file holds the body and one final newline.
 */
export function expectGolden(name: string, body: string): void {
  if (typeof body !== 'string') throw new TypeError('expectGolden takes the body text (res.text)');
  const file = path.join(DIR, `${name}.json`);
  if (updatingGolden()) {
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(file, `${body}\n`);
    return;
  }
  if (!fs.existsSync(file))
    throw new Error(`no golden file ${name}.json: run UPDATE_GOLDEN=1 npm test and review it`);
  expect(`${body}\n`).toBe(fs.readFileSync(file, 'utf8'));
}
