/** `tropo-app validate FILE…`: checks WebAPI response documents and prints every problem (DESIGN §5). */
import { readFile } from 'node:fs/promises';
import { validateDocument, type Channel, type Issue } from '../tropo';
import type { Command, CommandIO } from './types';

const USAGE = `usage: tropo-app validate [--json] [--channel voice|text] FILE…

Checks Tropo WebAPI response documents ({"tropo":[…]}); "-" reads standard input.
Prints one line per problem as FILE: PATH: message. Exit status: 0 all valid (warnings
allowed), 1 some document invalid, 2 some file unreadable or not JSON, or a usage error.

  --json               print [{"file","valid","issues":[{"path","message","severity"}]}]
  --channel voice|text the session's channel, for the rules that depend on it
`;

interface Options {
  json: boolean;
  channel: Channel | undefined;
  files: string[];
}

interface Report {
  file: string;
  valid: boolean;
  issues: Issue[];
  /** True when the file could not be read or was not JSON. */
  unreadable: boolean;
}

/** Reads the arguments; a string is a usage error to print. */
function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { json: false, channel: undefined, files: [] };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      options.files.push(arg);
    } else if (arg === '--') {
      onlyFiles = true;
    } else if (arg === '--json') {
      options.json = true;
    } else if (arg === '--channel' || arg.startsWith('--channel=')) {
      const value = arg === '--channel' ? argv[++i] : arg.slice('--channel='.length);
      const channel = value?.toUpperCase();
      if (channel !== 'VOICE' && channel !== 'TEXT') {
        return `tropo-app validate: --channel takes "voice" or "text"${value === undefined ? '' : `, not "${value}"`}`;
      }
      options.channel = channel;
    } else {
      return `tropo-app validate: unknown option "${arg}"`;
    }
  }
  if (options.files.length === 0) return 'tropo-app validate: no file given';
  return options;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'cannot read: no such file';
  if (code === 'EISDIR') return 'cannot read: is a directory';
  if (code === 'EACCES') return 'cannot read: permission denied';
  return `cannot read: ${error instanceof Error ? error.message : String(error)}`;
}

async function check(
  file: string,
  read: () => Promise<string>,
  channel: Channel | undefined,
): Promise<Report> {
  const failed = (message: string): Report => ({
    file,
    valid: false,
    issues: [{ path: '', message, severity: 'error' }],
    unreadable: true,
  });
  let text: string;
  try {
    text = await read();
  } catch (error) {
    return failed(describeReadError(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return failed(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const validation = validateDocument(json, { channel });
  return { file, valid: validation.ok, issues: validation.issues, unreadable: false };
}

function line(report: Report, issue: Issue): string {
  const where = report.unreadable ? '' : `${issue.path || '(document)'}: `;
  const severity = issue.severity === 'warning' ? 'warning: ' : '';
  return `${report.file}: ${where}${severity}${issue.message}\n`;
}

/** Runs `tropo-app validate`. */
export const validate: Command = async (argv: string[], io: CommandIO) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    io.stderr(`${options}\n\n${USAGE}`);
    return 2;
  }

  let stdin: Promise<string> | undefined;
  const reports: Report[] = [];
  for (const file of options.files) {
    const read =
      file === '-' ? () => (stdin ??= io.readStdin()) : () => readFile(file, { encoding: 'utf8' });
    reports.push(await check(file === '-' ? '<stdin>' : file, read, options.channel));
  }

  if (options.json) {
    const entries = reports.map(({ file, valid, issues }) => ({ file, valid, issues }));
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  } else {
    for (const report of reports) for (const issue of report.issues) io.stdout(line(report, issue));
  }

  if (reports.some((report) => report.unreadable)) return 2;
  return reports.every((report) => report.valid) ? 0 : 1;
};
