/** `tropo-app session create`: starts an outbound session through Tropo's Session API and prints its id, never the token (DESIGN §5). */
import {
  createSessionApiClient,
  DEFAULT_TROPO_API_URL,
  isSessionApiError,
  isSessionApiInvalidRequestError,
  isSessionApiRejectedError,
  redactor,
  type FetchLike,
  type SessionApiEvent,
} from '../session-api';
import { parseCommandArgs, usageError } from './args';
import type { Command, CommandIO } from './types';

const USAGE = `usage: tropo-app session create [--token TOKEN] [--api URL] [--dry-run] [--legacy-get] [name=value…]

Starts an outbound session through Tropo's Session API and prints the new session's id.

  --token TOKEN   the application's token; better: set TROPO_TOKEN, which stays out of shell history
  --api URL       Session API base (default: TROPO_API_URL, else ${DEFAULT_TROPO_API_URL})
  --dry-run       print what would be sent (token redacted) and send nothing
  --legacy-get    use the old GET form, which puts the token in the URL (legacy accounts only)
  name=value      session parameters, e.g. numberToDial=+14155551212 msg="Hello"

Exit status: 0 started, 1 Tropo refused or could not be reached, 2 usage error.
`;

/** What the command needs from outside besides its IO; tests inject a fetch and a no-wait sleep. */
export interface SessionCommandDeps {
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
}

/** Builds the `session` command; `session` below is the one the CLI runs. */
export function createSessionCommand(deps: SessionCommandDeps = {}): Command {
  return async (argv, rawIO) => {
    // Every line goes through a filter that knows the token, so no code path below can print it.
    const io = redactingIO(rawIO, tokenCandidates(argv, rawIO.env));
    const [subcommand, ...rest] = argv;
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (subcommand !== 'create') {
      // The word is not echoed back: it may be a token typed in the wrong place.
      const problem = subcommand === undefined ? 'missing sub-command' : 'unknown sub-command';
      io.stderr(`tropo-app session: ${problem} (expected "create")\n\n${USAGE}`);
      return 2;
    }
    return create(rest, io, deps);
  };
}

/** The `session` command as the CLI registers it. */
export const session: Command = createSessionCommand();

async function create(argv: string[], io: CommandIO, deps: SessionCommandDeps): Promise<number> {
  const usage = (message: string) => usageError(io, 'session create', USAGE, message);
  const parsed = parseCommandArgs(
    argv,
    {
      token: { type: 'string' },
      api: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'legacy-get': { type: 'boolean' },
    },
    io,
    'session create',
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const token = values.token ?? io.env.TROPO_TOKEN;
  if (!token) return usage('no token: pass --token or set TROPO_TOKEN');

  const parameters: Record<string, string> = {};
  for (const [index, argument] of positionals.entries()) {
    // Positionals are never echoed: a token typed without `--token` would otherwise be printed.
    const equals = argument.indexOf('=');
    if (equals <= 0) return usage(`parameter #${index + 1} is not of the form name=value`);
    const name = argument.slice(0, equals);
    if (name === 'token') {
      return usage('give the token with --token or TROPO_TOKEN, not as a parameter');
    }
    parameters[name] = argument.slice(equals + 1);
  }

  let client;
  try {
    client = createSessionApiClient({
      baseUrl: values.api ?? io.env.TROPO_API_URL ?? DEFAULT_TROPO_API_URL,
      dryRun: values['dry-run'] === true,
      legacyGet: values['legacy-get'] === true,
      log: (event) => report(event, io),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }

  try {
    const created = await client.createSession({ token, parameters });
    io.stdout(`${created.id}\n`);
    return 0;
  } catch (err) {
    if (isSessionApiInvalidRequestError(err)) return usage(err.message);
    if (isSessionApiRejectedError(err)) {
      io.stderr(`tropo-app session create: Tropo refused: ${err.reason}\n`);
      return 1;
    }
    if (isSessionApiError(err)) {
      io.stderr(`tropo-app session create: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Tells the user about retries and dry runs on stderr, keeping stdout for the id alone. */
function report(event: SessionApiEvent, io: CommandIO): void {
  if (event.event === 'retry') {
    io.stderr(
      `tropo-app session create: attempt ${event.attempt} failed (${event.message}); retrying in ${event.delayMs} ms\n`,
    );
  } else if (event.event === 'dry-run') {
    io.stderr(
      `dry run: would ${event.method} ${event.url} with parameters ${JSON.stringify(event.parameters)}; nothing sent\n`,
    );
  }
}

/** Every value that may be the token: `--token X`, `--token=X` and TROPO_TOKEN. */
function tokenCandidates(argv: string[], env: CommandIO['env']): string[] {
  const candidates = [env.TROPO_TOKEN];
  argv.forEach((argument, index) => {
    if (argument === '--token') candidates.push(argv[index + 1]);
    else if (argument.startsWith('--token=')) candidates.push(argument.slice('--token='.length));
  });
  return candidates.filter((value): value is string => value !== undefined && value !== '');
}

function redactingIO(io: CommandIO, secrets: string[]): CommandIO {
  const redacts = secrets.map((secret) => redactor(secret));
  const clean = (text: string): string => redacts.reduce((out, redact) => redact(out), text);
  return {
    ...io,
    stdout: (text) => io.stdout(clean(text)),
    stderr: (text) => io.stderr(clean(text)),
  };
}
