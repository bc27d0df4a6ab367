/**
 * `npm start` as an operator runs it: one server process whose pid and real address are in its
 * "listening" line, which SIGTERM (to that pid, or to npm) stops with exit code 0, leaving nothing.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { listeningUrls } from '../../src/runtime/main';
import { groupAlive, killGroup, spawnNpm, type NpmProcess } from '../helpers/npm-process';
import { waitFor } from '../helpers/wait-for';

interface Started extends NpmProcess {
  /** The parsed "listening on" log line. */
  listening: Record<string, unknown>;
}

const started: Started[] = [];

/** The processes of a process group, from /proc: pid and parent pid. */
function groupMembers(pgid: number): { pid: number; ppid: number; cmd: string }[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const [, , ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 1).split(' ');
      if (Number(pgrp) !== pgid) return [];
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return [{ pid: Number(entry), ppid: Number(ppid), cmd }];
    } catch {
      return []; // The process ended while being read: not a member any more.
    }
  });
}

/** Runs `npm start` in its own process group on 127.0.0.1 port 0; resolves once it listens. */
async function npmStart(): Promise<Started> {
  const entry: Started = { ...spawnNpm(['start'], { LOG_LEVEL: 'info' }), listening: {} };
  let ended = false;
  void entry.exited.then(() => (ended = true));
  started.push(entry);
  const out = () => entry.output();
  const lines = () =>
    out()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  await waitFor(
    () => {
      if (ended) throw new Error(`npm start exited before listening:\n${out()}`);
      const line = lines().find((l) => String(l.msg).startsWith('listening on '));
      if (line) entry.listening = line;
      return line !== undefined;
    },
    'npm start to log "listening on"',
    30_000,
    50,
  );
  return entry;
}

afterEach(() => {
  // A failed test must not leave a server behind.
  for (const { child } of started.splice(0)) killGroup(child);
});

describe('the listening line', () => {
  it('when bound to every interface, then it names the bound address and this machine a loopback URL', () => {
    const of = (address: string, family: string): AddressInfo => ({ address, family, port: 3000 });
    expect(listeningUrls(of('0.0.0.0', 'IPv4'))).toEqual({
      bound: 'http://0.0.0.0:3000',
      local: 'http://127.0.0.1:3000',
    });
    expect(listeningUrls(of('::', 'IPv6'))).toEqual({
      bound: 'http://[::]:3000',
      local: 'http://[::1]:3000',
    });
    expect(listeningUrls(of('10.1.2.3', 'IPv4'))).toEqual({
      bound: 'http://10.1.2.3:3000',
      local: 'http://10.1.2.3:3000',
    });
  });
});

describe('npm start', () => {
  it('when SIGTERM reaches the pid it logged, then that one process exits 0 and nothing is left', async () => {
    const s = await npmStart();
    const pid = Number(s.listening.pid);
    const url = String(s.listening.url);
    const port = Number(s.listening.port);
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(s.listening.msg).toBe(`listening on http://127.0.0.1:${port} (pid ${pid})`);

    // npm, and the one node process it runs (no shell between, nothing forked).
    const members = groupMembers(s.child.pid ?? -1);
    expect(members.map((m) => m.pid).sort()).toEqual([s.child.pid, pid].sort());
    const server = members.find((m) => m.pid === pid);
    expect(server?.ppid).toBe(s.child.pid);
    expect(server?.cmd).toMatch(/node .*src\/cli\/index\.ts serve$/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    process.kill(pid, 'SIGTERM');
    await expect(s.exited).resolves.toEqual({ code: 0, signal: null });
    await waitFor(() => !groupAlive(s.child.pid ?? -1), 'every process of npm start to end', 5000);
    expect(s.output()).toContain('"msg":"shut down"');
  });

  it('when SIGTERM reaches npm itself, then the server is stopped too (not left orphaned)', async () => {
    const s = await npmStart();
    const pid = Number(s.listening.pid);
    process.kill(s.child.pid ?? -1, 'SIGTERM');
    await s.exited;
    await waitFor(() => !groupAlive(s.child.pid ?? -1), 'the server to end with npm', 10_000);
    expect(s.output()).toContain(`"pid":${pid},"msg":"shut down"`);
  });
});
