import { validateDocument } from '../../../src/tropo';

const SECRET = 84512973;

describe('validation messages about credentials', () => {
  it.each([
    [
      'record.password',
      { record: { url: 'https://x', password: SECRET } },
      'tropo[0].record.password',
    ],
    [
      'record.url.password',
      { record: { url: { url: 'https://x', password: SECRET } } },
      'tropo[0].record.url.password',
    ],
    [
      'startRecording.url[0].sessionToken',
      { startRecording: { url: [{ url: 'https://x', sessionToken: SECRET }] } },
      'tropo[0].startRecording.url[0].sessionToken',
    ],
  ])(
    'when %s holds a number, then the message names its kind, never its value',
    (_what, verb, path) => {
      const { ok, issues } = validateDocument({ tropo: [verb] });
      expect(ok).toBe(false);
      expect(issues).toContainEqual({
        path,
        message: 'expected a string; got a number',
        severity: 'error',
      });
      expect(JSON.stringify(issues)).not.toContain(String(SECRET));
    },
  );

  it('when another field is wrong, then its value is still quoted (only credentials are hidden)', () => {
    const { issues } = validateDocument({
      tropo: [{ record: { url: 'https://x', method: 'GETT' } }],
    });
    expect(issues[0]?.message).toContain('"GETT"');
  });
});
