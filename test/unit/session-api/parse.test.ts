/** Tests for reading Session API and signals answers in every form Tropo uses. */
import fc from 'fast-check';
import { parseSessionAnswer, parseSignalAnswer } from '../../../src/session-api';
import { restBody, vectorsOfKind } from '../../helpers/rest-vectors';

describe('parseSessionAnswer', () => {
  it('when given the recorded vectors, then all four REST answers are present', () => {
    expect(vectorsOfKind('session-api-response')).toHaveLength(3);
    expect(vectorsOfKind('signal-api-response')).toHaveLength(1);
  });

  it('when Tropo answers the XML success form, then the id is read', () => {
    const body = restBody('session-api-response', 'success, XML');
    expect(parseSessionAnswer(body)).toEqual({ kind: 'success', id: 'ID' });
  });

  it('when Tropo answers the JSON success form, then the id is read', () => {
    const body = restBody('session-api-response', 'success, JSON');
    expect(parseSessionAnswer(body)).toEqual({ kind: 'success', id: 'ID' });
  });

  it('when Tropo answers the XML failure form, then the reason is read', () => {
    const body = restBody('session-api-response', 'failure, XML');
    expect(parseSessionAnswer(body)).toEqual({ kind: 'failure', reason: 'FAILED TO ROUTE TOKEN' });
  });

  it('when the XML id ends in a newline as in real captures, then it is trimmed', () => {
    const body =
      '<session><success>true</success><token>T</token><id>aadfg3Aa321gdc8e628df2\n</id></session>';
    expect(parseSessionAnswer(body)).toEqual({ kind: 'success', id: 'aadfg3Aa321gdc8e628df2' });
  });

  it('when the XML has a prolog, indentation, a comment and CDATA, then it is still read', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<session>
  <success> true </success>
  <token/>
  <id><![CDATA[ abc&def ]]></id>
</session>
`;
    expect(parseSessionAnswer(body)).toEqual({ kind: 'success', id: 'abc&def' });
  });

  it('when the XML reason carries entities, then they are decoded', () => {
    const body =
      '<session><success>false</success><reason>no route for &lt;app&gt; &amp; &#x41;&#66;</reason></session>';
    expect(parseSessionAnswer(body)).toEqual({
      kind: 'failure',
      reason: 'no route for <app> & AB',
    });
  });

  it('when Tropo answers form-encoded although JSON was asked, then the id is read', () => {
    expect(parseSessionAnswer('success=true&token=TOKEN&id=ID%0A')).toEqual({
      kind: 'success',
      id: 'ID',
    });
    expect(parseSessionAnswer('success=false&reason=FAILED+TO+ROUTE+TOKEN')).toEqual({
      kind: 'failure',
      reason: 'FAILED TO ROUTE TOKEN',
    });
  });

  it('when JSON gives success as a string or wraps the fields in "session", then it is read', () => {
    expect(parseSessionAnswer('{"success":"true","id":"x1"}')).toEqual({
      kind: 'success',
      id: 'x1',
    });
    expect(parseSessionAnswer('{"session":{"success":true,"id":"x2"}}')).toEqual({
      kind: 'success',
      id: 'x2',
    });
  });

  it('when a failure carries no reason, then the reason is undefined', () => {
    expect(
      parseSessionAnswer('<session><success>false</success><reason></reason></session>'),
    ).toEqual({ kind: 'failure', reason: undefined });
    expect(parseSessionAnswer('{"success":false}')).toEqual({ kind: 'failure', reason: undefined });
  });

  it.each([
    ['an empty body', ''],
    ['an HTML page', '<html><body>Bad Gateway</body></html>'],
    ['success without an id', '{"success":true,"token":"T"}'],
    ['broken JSON', '{"success":true,'],
    ['plain text', 'Service Unavailable'],
    ['a JSON array', '[{"id":"x"}]'],
  ])('when the body is %s, then it is unrecognised', (_label, body) => {
    expect(parseSessionAnswer(body)).toEqual({ kind: 'unrecognised' });
  });

  it('when any id is written in any of the three forms, then the same trimmed id comes back', () => {
    const id = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => s.trim() !== '' && !s.includes(']]>'));
    const xmlEscape = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    fc.assert(
      fc.property(id, fc.constantFrom('json', 'xml', 'form'), (value, form) => {
        const body =
          form === 'json'
            ? JSON.stringify({ success: true, token: 'T', id: value })
            : form === 'xml'
              ? `<session><success>true</success><token>T</token><id>${xmlEscape(value)}\n</id></session>`
              : new URLSearchParams({ success: 'true', token: 'T', id: value }).toString();
        expect(parseSessionAnswer(body)).toEqual({ kind: 'success', id: value.trim() });
      }),
    );
  });
});

describe('parseSignalAnswer', () => {
  it('when Tropo answers the recorded XML success, then the status is QUEUED', () => {
    const body = restBody('signal-api-response', 'Signals API success');
    expect(parseSignalAnswer(body)).toEqual({ kind: 'status', status: 'QUEUED' });
  });

  it('when the status comes as JSON or form, then it is read and upper-cased', () => {
    expect(parseSignalAnswer('{"status":"queued"}')).toEqual({ kind: 'status', status: 'QUEUED' });
    expect(parseSignalAnswer('{"signal":{"status":"QUEUED"}}')).toEqual({
      kind: 'status',
      status: 'QUEUED',
    });
    expect(parseSignalAnswer('status=QUEUED')).toEqual({ kind: 'status', status: 'QUEUED' });
  });

  it('when the session is unknown, then NOTFOUND is reported whatever the form', () => {
    expect(parseSignalAnswer('<signal><status>NOTFOUND</status></signal>')).toEqual({
      kind: 'status',
      status: 'NOTFOUND',
    });
    expect(parseSignalAnswer('NOTFOUND')).toEqual({ kind: 'status', status: 'NOTFOUND' });
  });

  it('when the body says nothing about a status, then it is unrecognised', () => {
    expect(parseSignalAnswer('<html>oops</html>')).toEqual({ kind: 'unrecognised' });
    expect(parseSignalAnswer('')).toEqual({ kind: 'unrecognised' });
  });
});
