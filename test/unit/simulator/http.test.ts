/** Tests for the simulator's POST: real loopback exchanges, timeouts, refused connections and the size limit. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPoster } from '../../../src/simulator';
import { refusedBaseUrl } from '../../helpers/stub-tropo';

let server: Server;
let origin: string;
const seen: { headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      if (req.url === '/hang') return;
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('x'.repeat(5000));
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"tropo":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createPoster', () => {
  it('when the app answers, then status, content type and body come back, sent as JSON', async () => {
    const outcome = await createPoster()(`${origin}/ok`, '{"session":{}}', 2000);
    expect(outcome).toMatchObject({
      ok: true,
      status: 201,
      contentType: 'application/json; charset=utf-8',
      body: '{"tropo":[]}',
      truncated: false,
    });
    expect(seen.at(-1)).toMatchObject({
      body: '{"session":{}}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  });

  it('when the app does not answer in time, then the outcome is a timeout', async () => {
    const outcome = await createPoster()(`${origin}/hang`, '{}', 100);
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'timeout',
      message: 'no answer within 100 ms',
    });
  });

  it('when nothing listens, then the outcome is a network failure naming the cause', async () => {
    const outcome = await createPoster()(`${await refusedBaseUrl()}/start`, '{}', 2000);
    expect(outcome).toMatchObject({ ok: false, kind: 'network' });
    expect(outcome.ok ? '' : outcome.message).toMatch(/ECONNREFUSED/);
  });

  it('when the answer is larger than the limit, then it is cut and marked', async () => {
    const outcome = await createPoster({ maxBytes: 1000 })(`${origin}/big`, '{}', 2000);
    expect(outcome).toMatchObject({ ok: true, truncated: true });
    expect(outcome.ok && outcome.body.length).toBe(1000);
  });

  it('when fetch fails, then the message is the shared network-error wording (the same as the Session API client)', async () => {
    const dns = Object.assign(new Error('getaddrinfo failed for app.invalid'), {
      code: 'ENOTFOUND',
    });
    const failing = () => Promise.reject(new TypeError('fetch failed', { cause: dns }));
    const outcome = await createPoster({ fetch: failing })('http://app.invalid/', '{}', 1000);
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'network',
      message: 'ENOTFOUND: getaddrinfo failed for app.invalid',
    });
  });

  it('when an injected fetch ignores the abort, then the timer still bounds the wait', async () => {
    const never = () => new Promise<Response>(() => undefined);
    const outcome = await createPoster({ fetch: never })('http://x.invalid/', '{}', 50);
    expect(outcome).toMatchObject({ ok: false, kind: 'timeout' });
  });
});
