/** The golden helper: byte-exact checks, and UPDATE_GOLDEN=1 refused under CI=true so a check never turns into a write. */
import fs from 'node:fs';
import path from 'node:path';
import { expectGolden, updatingGolden } from '../helpers/golden';

const FILE = path.join(__dirname, '..', 'fixtures', 'golden', 'fallback-silent.json');
const BODY = '{"tropo":[{"hangup":{}}]}';

describe('golden files', () => {
  const saved = { UPDATE_GOLDEN: process.env.UPDATE_GOLDEN, CI: process.env.CI };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('when UPDATE_GOLDEN=1 under CI=true, then the helper refuses with a clear error', () => {
    expect(() => updatingGolden({ UPDATE_GOLDEN: '1', CI: 'true' })).toThrow(
      /UPDATE_GOLDEN=1 is refused under CI=true/,
    );
    expect(updatingGolden({ UPDATE_GOLDEN: '1' })).toBe(true);
    expect(updatingGolden({ CI: 'true' })).toBe(false);
    expect(updatingGolden({})).toBe(false);
  });

  it('when a golden check runs with UPDATE_GOLDEN=1 under CI=true, then it throws and writes nothing', () => {
    const before = fs.readFileSync(FILE, 'utf8');
    process.env.UPDATE_GOLDEN = '1';
    process.env.CI = 'true';
    expect(() => expectGolden('fallback-silent', '{"changed":true}')).toThrow(/refused under CI/);
    expect(fs.readFileSync(FILE, 'utf8')).toBe(before);
  });

  it('when the body has the same JSON but other bytes, then the check fails', () => {
    delete process.env.UPDATE_GOLDEN;
    expect(() => expectGolden('fallback-silent', BODY)).not.toThrow();
    expect(() => expectGolden('fallback-silent', '{"tropo": [{"hangup": {}}]}')).toThrow();
    expect(() => expectGolden('fallback-silent', '{"tropo":[{"hangup":{ }}]}')).toThrow();
  });
});
