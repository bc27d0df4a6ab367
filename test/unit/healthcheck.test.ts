import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHealth, healthUrl } from '../../src/runtime/healthcheck';

async function listen(handler: http.RequestListener): Promise<{ server: Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz` };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('checkHealth', () => {
  it.each([
    [200, true],
    [503, false],
    [404, false],
  ])('when /healthz answers %i, then healthy is %s', async (status, healthy) => {
    const { server, url } = await listen((_req, res) => res.writeHead(status).end());
    try {
      expect(await checkHealth(url, 1000)).toBe(healthy);
    } finally {
      await closeServer(server);
    }
  });

  it('when nothing listens, then unhealthy', async () => {
    const { server, url } = await listen(() => undefined);
    await closeServer(server);
    expect(await checkHealth(url, 1000)).toBe(false);
  });

  it('when the server does not answer in time, then unhealthy after the timeout', async () => {
    // The server never answers, so only checkHealth's own timeout can end the check (a missing
    // one would hang into jest's timeout); the lower bound shows the timeout, not an error, ended it.
    const { server, url } = await listen(() => undefined);
    try {
      const started = Date.now();
      expect(await checkHealth(url, 150)).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150 - 5);
    } finally {
      await closeServer(server);
    }
  });
});

describe('healthUrl', () => {
  it.each([
    ['0.0.0.0', 3000, 'http://127.0.0.1:3000/healthz'],
    ['::', 8080, 'http://[::1]:8080/healthz'],
    ['127.0.0.1', 3000, 'http://127.0.0.1:3000/healthz'],
    ['::1', 3000, 'http://[::1]:3000/healthz'],
    ['localhost', 3000, 'http://localhost:3000/healthz'],
  ])('when HOST=%s and PORT=%i, then the check asks %s', (host, port, url) => {
    expect(healthUrl({ host, port })).toBe(url);
  });
});
