import { clientErrorCode, rawErrorResponse } from '../../src/server/http/client-error';

describe('answers to requests Node refuses', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_OVERFLOW', 'HEADERS_TOO_LARGE'],
    ['HPE_INVALID_METHOD', 'REQUEST_MALFORMED'],
    [undefined, 'REQUEST_MALFORMED'],
  ])('when Node reports %s, then the code is %s', (code, expected) => {
    expect(clientErrorCode({ code })).toBe(expected);
  });

  it('when written, then the response is HTTP/1.1 with a JSON body of the right length that closes the connection', () => {
    const raw = rawErrorResponse('HEADERS_TOO_LARGE');
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 431 Request Header Fields Too Large',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ]);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE' } });
  });
});
