/** A CommandIO that records output in memory, for testing CLI commands without a process. */
import type { CommandIO } from '../../src/cli/types';

export interface MemoryIO extends CommandIO {
  out: () => string;
  err: () => string;
}

export function memoryIO(
  options: { stdin?: string; env?: Record<string, string>; isTTY?: boolean } = {},
): MemoryIO {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readStdin: () => Promise.resolve(options.stdin ?? ''),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    out: () => out,
    err: () => err,
  };
}
