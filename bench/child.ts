/** Entry point of a target's child process: builds its server, listens on 127.0.0.1 port 0 and answers the harness over IPC. */
import type { AddressInfo } from 'node:net';
import type { ChildMessage } from './protocol';
import { isTargetName, loadTarget } from './target';

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  if (!isTargetName(name)) throw new Error(`unknown target "${name}"`);
  if (process.send === undefined)
    throw new Error('bench/child.ts must be started with an IPC channel');
  const target = loadTarget(name);
  const server = await target.createServer();
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'memory') {
      const { rss, heapUsed } = process.memoryUsage();
      // The harness starts children with --expose-gc; without it both readings are the same.
      (globalThis as { gc?: () => void }).gc?.();
      const after = process.memoryUsage();
      send({
        type: 'memory',
        rss,
        heapUsed,
        rssAfterGc: after.rss,
        heapUsedAfterGc: after.heapUsed,
      });
    }
  });
  // The harness owns this process: when it goes away, so do we.
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
    process.exit(0);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    const { description, scenarios } = target;
    send({ type: 'ready', port, info: { name, description, scenarios } });
  });
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  send({ type: 'failed', message });
  process.stderr.write(`bench child ${process.argv[2] ?? '?'}: ${message}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});
