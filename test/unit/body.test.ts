/** Tests the JSON body parser: Tropo's plain bodies read directly, every other body through body-parser, both answering alike. */
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { errorHandler, jsonBody } from '../../src/server/http/body';

function echoApp() {
  const app = express();
  app.post('/echo', jsonBody(1024), (req, res) => {
    res.json({ body: (req as { body?: unknown }).body ?? null });
  });
  app.use(errorHandler(() => undefined));
  return app;
}

describe('jsonBody', () => {
  const app = echoApp();

  it.each([
    ['an object', '{"session":{"id":"a"}}', { session: { id: 'a' } }],
    ['a non-object JSON value', '[1,2]', [1, 2]],
    ['an empty body', '', {}],
    ['a body with a byte order mark', '\ufeff{"a":1}', { a: 1 }],
    ['non-ASCII text', '{"msg":"Grüße, José 👋"}', { msg: 'Grüße, José 👋' }],
  ])('when the body is %s, then it is parsed', async (_what, text, expected) => {
    const res = await request(app).post('/echo').set('content-type', 'text/plain').send(text);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: expected });
  });

  it('when the body is not JSON, then 400 BODY_NOT_JSON', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"session":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BODY_NOT_JSON');
  });

  it('when the body is over the limit, then 413 BODY_TOO_LARGE', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('when the body is gzipped, then body-parser inflates and parses it', async () => {
    const res = await request(app)
      .post('/echo')
      // Not application/json: superagent would serialise the Buffer as JSON.
      .set('content-type', 'text/plain')
      .set('content-encoding', 'gzip')
      .send(gzipSync('{"a":"zipped"}'));
    expect(res.body).toEqual({ body: { a: 'zipped' } });
  });

  it('when the body is UTF-16, then body-parser decodes and parses it', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'text/plain; charset=utf-16le')
      .send(Buffer.from('{"a":"wide"}', 'utf16le'));
    expect(res.body).toEqual({ body: { a: 'wide' } });
  });

  it('when the charset is not a UTF, then 415 BODY_UNSUPPORTED_ENCODING', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json; charset=latin1')
      .send('{"a":1}');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('BODY_UNSUPPORTED_ENCODING');
  });

  it('when the body is sent in chunks without a length, then it is parsed', async () => {
    const req = request(app).post('/echo').set('content-type', 'application/json');
    req.write('{"a":');
    req.write('"chunked"}');
    const res = await req;
    expect(res.body).toEqual({ body: { a: 'chunked' } });
  });
});
