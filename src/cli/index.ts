/** The `tropo-app` command line: dispatches to one module per sub-command (DESIGN §5). */
import { closestName } from './did-you-mean';
import { projectRoot } from './project';
import type { Command, CommandIO } from './types';

/*
 * Sub-commands, loaded on demand so that `validate` never pays for the server's start-up.
 * `require` rather than `import()`: under nodenext a CommonJS `import()` stays a real ESM import,
 * which jest cannot run without experimental flags.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: Record<string, { summary: string; load: () => Command }> = {
  serve: {
    summary: 'run the server (what npm start runs)',
    load: () => (require('./serve') as typeof import('./serve')).serve,
  },
  apps: {
    summary: 'list the registered apps',
    load: () => (require('./apps') as typeof import('./apps')).apps,
  },
  validate: {
    summary: 'check WebAPI response documents (FILE… or - for stdin)',
    load: () => (require('./validate') as typeof import('./validate')).validate,
  },
  session: {
    summary: 'start an outbound session through the Session API: session create --token T [k=v…]',
    load: () => (require('./session') as typeof import('./session')).session,
  },
  simulate: {
    summary: 'play one Tropo session against an app and print the transcript (--url or --app)',
    load: () => (require('./simulate') as typeof import('./simulate')).simulateCommand,
  },
  test: {
    summary: 'run scenario files (*.scenario.yaml, default scenarios/) and check what they expect',
    load: () => (require('./test') as typeof import('./test')).testCommand,
  },
  graph: {
    summary: "draw an app's call flow as its scenarios observed it (Mermaid text and HTML)",
    load: () => (require('./graph') as typeof import('./graph')).graphCommand,
  },
  campaign: {
    summary: 'schedule and follow reminder campaigns: campaign create|list|status|report|cancel',
    load: () => (require('./campaign') as typeof import('./campaign')).campaign,
  },
  new: {
    summary:
      'start an app: apps/NAME/index.ts and its scenario (--template voice-menu|reminder|sms)',
    load: () => (require('./new') as typeof import('./new')).newCommand,
  },
  'fake-tropo': {
    summary: 'a local stand-in for Tropo: Session API plus a simulator (--start-url URL)',
    load: () => (require('./fake-tropo') as typeof import('./fake-tropo')).fakeTropoCommand,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: tropo-app <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

/** Runs the CLI with the given arguments and resolves to the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${projectRoot().version}\n`);
    return 0;
  }
  // `help simulate` is `simulate --help`.
  const helpFor = name === 'help' && rest[0] !== undefined ? commands[rest[0]] : undefined;
  if (helpFor) return helpFor.load()(['--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    const near = closestName(name, Object.keys(commands));
    const hint = near === undefined ? '' : `; did you mean "${near}"?`;
    io.stderr(`tropo-app: unknown command "${name}"${hint}\n\n${usage()}`);
    return 2;
  }
  return command.load()(rest, io);
}

/**
 * Install a handler so a closed stdout (`tropo-app apps | head -1`) ends the output quietly: the
 * reader has gone, so the rest is dropped instead of crashing with an unhandled EPIPE.
 */
function dropOutputOnClosedPipe(stream: NodeJS.WriteStream): () => boolean {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return () => closed;
}

/** The process's own streams, for running as a program. */
export function processIO(): CommandIO {
  const stdoutClosed = dropOutputOnClosedPipe(process.stdout);
  return {
    stdout: (text) => {
      if (!stdoutClosed()) process.stdout.write(text);
    },
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** Runs the CLI as this process: exit code and errors go to the process. */
export function main(): void {
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tropo-app: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
