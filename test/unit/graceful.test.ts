import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainable, type Drainable } from '../../src/server/http/graceful';
import { waitFor } from '../helpers/wait-for';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on 127.0.0.1 port 0 whose keep-alive timeout is far longer than any test. */
async function serve(
  handler: Handler,
): Promise<{ server: Server; drain: Drainable; port: number }> {
  const server = http.createServer({ keepAliveTimeout: 60_000 });
  const drain = drainable(server);
  server.on('request', handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, drain, port: (server.address() as AddressInfo).port };
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, agent: http.Agent, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('drainable', () => {
  const agents: http.Agent[] = [];
  const keepAlive = () => {
    const agent = new http.Agent({ keepAlive: true });
    agents.push(agent);
    return agent;
  };
  afterEach(() => agents.splice(0).forEach((a) => a.destroy()));

  it('when keep-alive requests are in flight, then they finish with Connection: close and the drain ends at once', async () => {
    const pending: ServerResponse[] = [];
    const { drain, port } = await serve((_req, res) => void pending.push(res));
    const agent = keepAlive();
    const answers = [get(port, agent), get(port, agent), get(port, agent)];
    await waitFor(() => drain.inFlight() === 3, 'three requests in flight');

    // A deadline past jest's own timeout: `forced: false` says the server closed by itself as the
    // requests ended, before any deadline (no clock needed to see that).
    const drained = drain.drain(600_000);
    pending.forEach((res) => res.end('done'));
    expect(await Promise.all(answers)).toEqual(
      Array(3).fill({ status: 200, connection: 'close', body: 'done' }),
    );
    expect(await drained).toEqual({ forced: false, abandoned: 0 });
  });

  it('when a response had sent its headers before the drain, then its idle connection is closed once it ends', async () => {
    let streaming: ServerResponse | undefined;
    const { drain, port } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part one, ');
      streaming = res;
    });
    const answer = get(port, keepAlive());
    await waitFor(() => streaming !== undefined, 'the response to start');
    const drained = drain.drain(5000);
    streaming?.end('part two');
    expect((await answer).body).toBe('part one, part two');
    expect(await drained).toEqual({ forced: false, abandoned: 0 });
  });

  it('when a request never finishes, then the deadline closes its connection and says so', async () => {
    const { drain, port } = await serve(() => undefined);
    const answer = get(port, keepAlive()).catch((err: NodeJS.ErrnoException) => err.code);
    await waitFor(() => drain.inFlight() === 1, 'the request in flight');
    const started = Date.now();
    expect(await drain.drain(200)).toEqual({ forced: true, abandoned: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await answer).toBe('ECONNRESET');
  });

  it('when nothing is in flight, then the drain closes idle keep-alive connections and ends', async () => {
    const { drain, port, server } = await serve((_req, res) => res.end('ok'));
    await get(port, keepAlive());
    expect(await drain.drain(5000)).toEqual({ forced: false, abandoned: 0 });
    expect(server.listening).toBe(false);
  });

  it('when drained twice, then both calls share one outcome', async () => {
    const { drain } = await serve((_req, res) => res.end('ok'));
    const first = drain.drain(1000);
    expect(drain.drain(1000)).toBe(first);
    await first;
  });
});
