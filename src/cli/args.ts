/** The argument handling every `tropo-app` sub-command shares: node's parseArgs, `--help`, and usage errors that exit 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIO } from './types';

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } };
type Config<O extends Options> = {
  args: string[];
  options: WithHelp<O>;
  allowPositionals: true;
  strict: true;
};
type Parsed<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

/** Prints `tropo-app COMMAND: message`, then the usage, on stderr; the exit status of a usage error. */
export function usageError(io: CommandIO, command: string, usage: string, message: string): 2 {
  io.stderr(`tropo-app ${command}: ${message}\n\n${usage}`);
  return 2;
}

/**
 * Parses `argv` strictly against `options` (plus `--help`/`-h`), positionals allowed. Returns the
 * values and positionals, or the exit status when there is nothing left to do: 0 after printing
 * the usage for `--help`, 2 after a usage error.
 */
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
  io: CommandIO,
  command: string,
  usage: string,
): Parsed<O> | 0 | 2 {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs<Config<O>>({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    return usageError(io, command, usage, err instanceof Error ? err.message : String(err));
  }
  // parseArgs's value types are too deep for TypeScript to see `help` through the generic.
  const values: { help?: unknown } = parsed.values;
  if (values.help === true) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
