/** The shape every `tropo-app` sub-command shares, so commands can be run and tested without a process. */

/** Where a command reads and writes; tests pass buffers, the CLI passes the process's streams. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `-` arguments). */
  readStdin: () => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (colour allowed). */
  isTTY: boolean;
}

/** A sub-command: takes its own arguments (after the command name) and resolves to the exit code. */
export type Command = (argv: string[], io: CommandIO) => Promise<number>;
