/** Golden JSON answers in test/fixtures/golden; `UPDATE_GOLDEN=1 npm test` rewrites them for review in git diff. */
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.join(__dirname, '..', 'fixtures', 'golden');

/** Asserts that `actual` equals the golden file `name`.json. */
export function expectGolden(name: string, actual: unknown): void {
  const file = path.join(DIR, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!fs.existsSync(file))
    throw new Error(`no golden file ${name}.json: run UPDATE_GOLDEN=1 npm test and review it`);
  expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
}
