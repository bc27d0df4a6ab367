/** Tests for next-URL resolution (RFC 3986 forms from the official samples) and secret redaction. */
import { REDACTED, redactJson, redactSecrets, resolveNextUrl } from '../../../src/simulator/url';

const doc = 'http://127.0.0.1:3000/apps/demo/testapp.php?uri=start';

describe('resolveNextUrl', () => {
  it.each([
    // Forms seen in the official samples and tests (§2.1).
    ['http://example.com/weather.py', 'http://example.com/weather.py'],
    ['https://example.com/a/b?x=1', 'https://example.com/a/b?x=1'],
    ['/continue.json', 'http://127.0.0.1:3000/continue.json'],
    ['/weather.py?uri=end', 'http://127.0.0.1:3000/weather.py?uri=end'],
    ['say.php', 'http://127.0.0.1:3000/apps/demo/say.php'],
    ['myresource', 'http://127.0.0.1:3000/apps/demo/myresource'],
    ['testapp.php?uri=incomplete', 'http://127.0.0.1:3000/apps/demo/testapp.php?uri=incomplete'],
    ['error.json', 'http://127.0.0.1:3000/apps/demo/error.json'],
    ['../other/on/next', 'http://127.0.0.1:3000/apps/other/on/next'],
    ['?uri=end', 'http://127.0.0.1:3000/apps/demo/testapp.php?uri=end'],
    ['//other.example/x', 'http://other.example/x'],
  ])('when next is %j, then it resolves to %s', (next, expected) => {
    expect(resolveNextUrl(next, doc)).toEqual({ ok: true, url: expected });
  });

  it('when the document URL ends in a slash, then a relative next goes below it', () => {
    expect(resolveNextUrl('on/confirm', 'http://h/apps/demo/')).toEqual({
      ok: true,
      url: 'http://h/apps/demo/on/confirm',
    });
  });

  it('when next is empty, then it is refused rather than re-posting to the same document', () => {
    expect(resolveNextUrl('  ', doc)).toMatchObject({ ok: false, reason: /empty/ });
  });

  it('when next resolves to a non-HTTP scheme, then it is refused', () => {
    expect(resolveNextUrl('mailto:someone@example.com', doc)).toMatchObject({
      ok: false,
      reason: /HTTP/,
    });
    expect(resolveNextUrl('ftp://example.com/x', doc)).toMatchObject({ ok: false });
  });

  it('when the base is not absolute or next is malformed, then the reason says which', () => {
    expect(resolveNextUrl('x', '/relative')).toMatchObject({ ok: false, reason: /document URL/ });
    expect(resolveNextUrl('http://[bad', doc)).toMatchObject({ ok: false, reason: /not a valid/ });
  });
});

describe('redactSecrets', () => {
  const token =
    '09db1e64c7db4045a459606daae7794c158f859b2e321ab908eda9bb2c362ff3555c69d496c5aa48008f6543';

  it('when a Session API URL carries the token, then the token is hidden and the rest kept', () => {
    const url = `https://api.tropo.com/1.0/sessions?action=create&token=${token}&numberToDial=4075551212`;
    expect(redactSecrets(url)).toBe(
      `https://api.tropo.com/1.0/sessions?action=create&token=${REDACTED}&numberToDial=4075551212`,
    );
  });

  it('when a JSON body carries the token, then the member value is hidden', () => {
    const body = JSON.stringify({ session: { parameters: { token, action: 'create' } } });
    const out = redactSecrets(body);
    expect(out).not.toContain(token);
    expect(JSON.parse(out)).toEqual({
      session: { parameters: { token: REDACTED, action: 'create' } },
    });
  });

  it('when an XML body carries the token, then the element text is hidden', () => {
    expect(
      redactSecrets(`<session><token>${token}</token><var name="a" value="b"/></session>`),
    ).toBe(`<session><token>${REDACTED}</token><var name="a" value="b"/></session>`);
  });

  it('when a known secret appears anywhere, then every occurrence is hidden, also URL-encoded', () => {
    const secret = 'p@ss word';
    const text = `said ${secret} then ${encodeURIComponent(secret)}`;
    expect(redactSecrets(text, [secret])).toBe(`said ${REDACTED} then ${REDACTED}`);
  });

  it('when a webhook key, a URL password or a bearer token appears, then it is hidden', () => {
    expect(redactSecrets('http://h/apps/a/on/x?key=s3cret')).toBe(
      `http://h/apps/a/on/x?key=${REDACTED}`,
    );
    expect(redactSecrets('ftp://user:hunter2@files.example/rec.wav')).toBe(
      `ftp://user:${REDACTED}@files.example/rec.wav`,
    );
    expect(redactSecrets('Authorization: Bearer abc.def-123')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
  });

  it('when nothing secret is present, then the text is unchanged', () => {
    const text = 'http://h/apps/demo/on/confirm?monkey=1&tokens=2 {"name":"token"}';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactJson', () => {
  it('when a session payload is redacted, then the token is hidden and the input untouched', () => {
    const payload = {
      session: {
        id: 'abc',
        parameters: { token: 'tok-123', action: 'create', note: 'tok-123 inside' },
        headers: { Authorization: 'Basic dXNlcjpwYXNz', 'Call-ID': '1' },
      },
      list: [{ password: 'pw' }, 'plain'],
    };
    const out = redactJson(payload, ['tok-123']);
    expect(out).toEqual({
      session: {
        id: 'abc',
        parameters: { token: REDACTED, action: 'create', note: `${REDACTED} inside` },
        headers: { Authorization: REDACTED, 'Call-ID': '1' },
      },
      list: [{ password: REDACTED }, 'plain'],
    });
    expect(payload.session.parameters.token).toBe('tok-123');
  });

  it('when a secret-named member is null or empty, then it is kept as it is', () => {
    expect(redactJson({ token: null, password: '' })).toEqual({ token: null, password: '' });
  });
});
