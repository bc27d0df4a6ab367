/** Tests that the redactor removes a secret in every spelling it can take on the wire. */
import { REDACTED, redactor } from '../../../src/session-api';

describe('redactor', () => {
  const secret = 'a b+c/d&e<f"g';
  const redact = redactor(secret);

  it.each([
    ['raw', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ t: secret }).toString().slice(2)],
    ['inside JSON', JSON.stringify(secret).slice(1, -1)],
    ['XML-escaped', 'a b+c/d&amp;e&lt;f"g'],
  ])('when the secret appears %s, then it is replaced by the marker', (_label, spelling) => {
    const out = redact(`before ${spelling} after ${spelling}`);
    expect(out).toBe(`before ${REDACTED} after ${REDACTED}`);
  });

  it('when there is no secret, then text passes unchanged', () => {
    expect(redactor(undefined)('token=abc')).toBe('token=abc');
    expect(redactor('')('token=abc')).toBe('token=abc');
  });
});
