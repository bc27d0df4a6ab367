/** Runs a server as a child process (as a container would) and follows its JSON log lines on stdout. */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait-for';

/** A started server process. */
export interface ServerProcess {
  child: ChildProcess;
  /** The URL it logged as listening on. */
  url: string;
  /** Every JSON log line so far, parsed (other output is kept in `output`). */
  logs: () => Record<string, unknown>[];
  output: () => string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if still running (test clean-up). */
  kill: () => void;
}

/** Spawns `command` in `cwd` with exactly `env`, and resolves once it logs `listening on <url>`. */
export async function startServerProcess(
  command: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ServerProcess> {
  const [program, ...args] = command;
  if (program === undefined) throw new Error('empty command');
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line: kept in the raw output only.
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  // 'close' (stdio read to the end), not 'exit': tests read the last log lines once it settles.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));

  let url: string | undefined;
  try {
    await waitFor(
      () => {
        if (ended) throw new Error(`the server exited before listening:\n${text}`);
        // The line names the bound address; its `url` field is where this machine reaches it.
        const line = lines.find((l) => String(l.msg).startsWith('listening on '));
        url = typeof line?.url === 'string' ? line.url : undefined;
        return url !== undefined;
      },
      'the server to log "listening on"',
      options.timeoutMs ?? 15_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    child,
    url: url ?? '',
    logs: () => [...lines],
    output: () => text,
    exited,
    kill: () => {
      if (!ended) child.kill('SIGKILL');
    },
  };
}
