/** Tests the one redaction of known secrets: every planted secret, in every spelling, is hidden. */
import { REDACTED, redactor, secretSpellings } from '../../../src/lib';
import { PLANTED, findPlantedSecrets, spellings } from '../../helpers/secret-scan';

const SECRETS = Object.values(PLANTED);

describe('redactor', () => {
  const redact = redactor(SECRETS);

  it('when every planted secret appears in every spelling the scanner knows, then none is left', () => {
    const text = SECRETS.flatMap((s) => spellings(s).map((sp) => `<${sp}>`)).join(' ');
    expect(findPlantedSecrets(text).length).toBeGreaterThan(SECRETS.length);
    const out = redact(text);
    expect(findPlantedSecrets(out)).toEqual([]);
    expect(out).toContain(`<${REDACTED}>`);
  });

  it.each([
    ['XML-escaped', (s: string) => s.replace(/&/g, '&amp;')],
    ['base64 after 1 byte', (s: string) => Buffer.from(`:${s}`).toString('base64')],
    ['base64 after 2 bytes', (s: string) => Buffer.from(`u:${s}`).toString('base64')],
    ['base64 in Basic credentials', (s: string) => Buffer.from(`user:${s}`).toString('base64')],
    ['base64url in a longer text', (s: string) => Buffer.from(`xy${s}z`).toString('base64url')],
  ])('when a secret is %s, then it does not survive', (_what, spell) => {
    for (const secret of SECRETS) {
      const out = redact(`before ${spell(secret)} after`);
      // What is left around the marker can no longer decode to the secret.
      expect(
        Buffer.from(out.replace(/\S*\[Redacted\]\S*/g, ''), 'base64').toString(),
      ).not.toContain(secret);
      expect(out).toContain(REDACTED);
      expect(findPlantedSecrets(out)).toEqual([]);
    }
  });

  it('when no secret is given, then text passes unchanged', () => {
    expect(redactor(undefined)('token=abc')).toBe('token=abc');
    expect(redactor([undefined, ''])('token=abc')).toBe('token=abc');
  });

  it('when a secret holds regular-expression characters, then it is matched literally', () => {
    const secret = 'a.b*c+d?e(f)[g]{h}|i^j$k\\l';
    expect(redactor(secret)(`x ${secret} y aXb`)).toBe(`x ${REDACTED} y aXb`);
  });

  it('when listing spellings, then base64 runs shorter than 8 characters are left out', () => {
    expect(secretSpellings('abc').every((s) => s.length >= 3)).toBe(true);
    expect(secretSpellings('abc')).not.toContain('YW');
  });
});
