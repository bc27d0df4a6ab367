/** `tropo-app campaign`: create, list, watch, report and cancel reminder campaigns on a running server (issue #13). */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ReminderStatus } from '../campaigns/model';
import { redactor } from '../session-api';
import {
  CampaignApiError,
  failure,
  json,
  request,
  type ApiTarget,
  type CampaignView,
  type Counts,
} from './campaign-api';
import type { Command, CommandIO } from './types';

const DEFAULT_SERVER = 'http://127.0.0.1:3000';

const USAGE = `usage: tropo-app campaign <sub-command> [--server URL] [options]

Schedules many reminders on a running server (which needs REDIS_URL) and follows them.

  create FILE.csv|FILE.json [--app NAME] [--name N] [--idempotency-key K]
                 send a campaign; prints its id. A CSV has a header row id,at,timeZone,… whose
                 other columns are the app's parameters, and needs --app; a JSON file is
                 {"app","name","reminders":[…]} (or just the reminders array, with --app).
                 With --idempotency-key, sending the same campaign again dials nobody twice.
  list           the campaigns with their counts
  status ID [--watch] [--interval S]
                 counts by status; --watch follows until the campaign is done or cancelled
                 (a progress bar on a terminal, a line per change otherwise)
  report ID      the outcome of every reminder, as CSV on stdout
  cancel ID      cancels every reminder not yet launched

  --server URL   the server (default ${DEFAULT_SERVER})
  --json         list and status: print the server's JSON

API_KEY (from the environment) is sent as the Bearer key; it is never printed.
Exit status: 0 done, 1 the server refused or could not be reached, 2 usage error.
`;

/** The final reminder statuses, in the order they are shown (a unit test keeps them complete). */
export const FINAL_ORDER = [
  'confirmed',
  'declined',
  'answered',
  'sent',
  'no-answer',
  'busy',
  'failed',
  'unknown',
  'cancelled',
] as const satisfies readonly ReminderStatus[];
/** Statuses still on their way, in the order they are shown. */
const PENDING_ORDER = [
  'scheduled',
  'launching',
  'launched',
] as const satisfies readonly ReminderStatus[];
const FINISHED_STATES = new Set(['done', 'cancelled']);

/** What the command needs from outside besides its IO; tests pass a short sleep. */
export interface CampaignCommandDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

class UsageError extends Error {}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        server: { type: 'string' },
        app: { type: 'string' },
        name: { type: 'string' },
        'idempotency-key': { type: 'string' },
        watch: { type: 'boolean' },
        interval: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Builds the `campaign` command; `campaign` below is the one the CLI runs. */
export function createCampaignCommand(deps: CampaignCommandDeps = {}): Command {
  return async (argv, rawIO) => {
    const hide = redactor(rawIO.env.API_KEY);
    const io: CommandIO = {
      ...rawIO,
      stdout: (text) => rawIO.stdout(hide(text)),
      stderr: (text) => rawIO.stderr(hide(text)),
    };
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      (sub === undefined ? io.stderr : io.stdout)(USAGE);
      return sub === undefined ? 2 : 0;
    }
    const run = SUBCOMMANDS[sub];
    if (!run) {
      io.stderr(`tropo-app campaign: unknown sub-command "${sub}"\n\n${USAGE}`);
      return 2;
    }
    try {
      const { values, positionals } = parseOptions(rest);
      if (values.help) {
        io.stdout(USAGE);
        return 0;
      }
      const server = values.server ?? DEFAULT_SERVER;
      if (!/^https?:\/\/\S+$/i.test(server) || !URL.canParse(server)) {
        throw new UsageError(`--server must be an http(s) URL, got "${server}"`);
      }
      const target: ApiTarget = {
        server: server.replace(/\/+$/, ''),
        apiKey: io.env.API_KEY || undefined,
        fetch: deps.fetch ?? fetch,
      };
      return await run({ target, values, positionals, io, sleep: deps.sleep ?? sleepMs });
    } catch (error) {
      if (error instanceof CampaignApiError) {
        const [first, ...more] = error.lines;
        io.stderr(`tropo-app campaign ${sub}: ${first ?? 'failed'}\n`);
        for (const line of more) io.stderr(`${line}\n`);
        return 1;
      }
      if (error instanceof UsageError) {
        io.stderr(`tropo-app campaign ${sub}: ${error.message}\n\n${USAGE}`);
        return 2;
      }
      throw error;
    }
  };
}

/** The `campaign` command as the CLI registers it. */
export const campaign: Command = createCampaignCommand();

interface Run {
  target: ApiTarget;
  values: {
    app?: string;
    name?: string;
    'idempotency-key'?: string;
    watch?: boolean;
    interval?: string;
    json?: boolean;
  };
  positionals: string[];
  io: CommandIO;
  sleep: (ms: number) => Promise<void>;
}

function onlyId(run: Run, sub: string): string {
  const [id, extra] = run.positionals;
  if (id === undefined || id === '') throw new UsageError(`${sub} needs a campaign ID`);
  if (extra !== undefined) throw new UsageError(`${sub} takes one campaign ID, got more`);
  return id;
}

const path = (id: string, tail = '') => `/api/campaigns/${encodeURIComponent(id)}${tail}`;

const SUBCOMMANDS: Record<string, (run: Run) => Promise<number>> = {
  create,
  list: async (run) => {
    if (run.positionals.length > 0) throw new UsageError('list takes no arguments');
    const answer = await request(run.target, 'GET', '/api/campaigns');
    if (answer.status !== 200) throw failure(run.target, answer);
    if (run.values.json) {
      run.io.stdout(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
      return 0;
    }
    const body = json<CampaignView[] | { campaigns?: CampaignView[] }>(answer);
    const list = Array.isArray(body) ? body : (body.campaigns ?? []);
    if (list.length === 0) run.io.stdout('no campaigns\n');
    for (const c of list) run.io.stdout(`${describe(c)}\n`);
    return 0;
  },
  status: async (run) => {
    const id = onlyId(run, 'status');
    const interval = seconds(run.values.interval);
    const fetchOnce = async (): Promise<{ view: CampaignView; text: string }> => {
      const answer = await request(run.target, 'GET', path(id, '?offset=0&limit=1'));
      if (answer.status !== 200) throw failure(run.target, answer, id);
      return { view: json<CampaignView>(answer), text: answer.text };
    };
    if (!run.values.watch) {
      const { view, text } = await fetchOnce();
      run.io.stdout(run.values.json ? `${text.trimEnd()}\n` : `${describe(view)}\n`);
      return 0;
    }
    return watch(run, id, fetchOnce, interval);
  },
  report: async (run) => {
    const id = onlyId(run, 'report');
    const answer = await request(run.target, 'GET', path(id, '/report.csv'), {
      headers: { accept: 'text/csv' },
    });
    if (answer.status !== 200) throw failure(run.target, answer, id);
    run.io.stdout(answer.text);
    return 0;
  },
  cancel: async (run) => {
    const id = onlyId(run, 'cancel');
    const answer = await request(run.target, 'DELETE', path(id));
    if (answer.status !== 200 && answer.status !== 204) throw failure(run.target, answer, id);
    let line = `cancelled campaign ${id}`;
    if (answer.text.trim().startsWith('{')) {
      const body = json<CampaignView & { cancelled?: number }>(answer);
      if (typeof body.cancelled === 'number') line += `: ${body.cancelled} reminders cancelled`;
      else if (body.counts) line = describe({ ...body, id: body.id ?? id });
    }
    run.io.stdout(`${line}\n`);
    return 0;
  },
};

async function create(run: Run): Promise<number> {
  const [file, extra] = run.positionals;
  if (file === undefined) throw new UsageError('create needs a FILE.csv or FILE.json (or -)');
  if (extra !== undefined) throw new UsageError('create takes one file');
  let text: string;
  try {
    text = file === '-' ? await run.io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CampaignApiError([`cannot read ${file}: ${reason}`], false);
  }
  const ext = extname(file).toLowerCase();
  const isJson = ext === '.json' || (ext !== '.csv' && /^\s*[[{]/.test(text));
  const headers: Record<string, string> = {};
  const key = run.values['idempotency-key'];
  if (key !== undefined) headers['idempotency-key'] = key;
  let answer;
  if (isJson) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CampaignApiError([`${file} is not valid JSON: ${reason}`], false);
    }
    const campaign: Record<string, unknown> = Array.isArray(body)
      ? { reminders: body }
      : body !== null && typeof body === 'object'
        ? { ...body }
        : {};
    if (run.values.app !== undefined) campaign.app = run.values.app;
    if (run.values.name !== undefined) campaign.name = run.values.name;
    if (campaign.app === undefined) throw new UsageError(`${file} names no app: add --app NAME`);
    answer = await request(run.target, 'POST', '/api/campaigns', {
      body: JSON.stringify(campaign),
      contentType: 'application/json',
      headers,
    });
  } else {
    if (run.values.app === undefined) {
      throw new UsageError('a CSV needs --app NAME (the app that calls each row)');
    }
    const query = new URLSearchParams({ app: run.values.app });
    if (run.values.name !== undefined) query.set('name', run.values.name);
    answer = await request(run.target, 'POST', `/api/campaigns?${query.toString()}`, {
      body: text,
      contentType: 'text/csv',
      headers,
    });
  }
  if (answer.status !== 201 && answer.status !== 200) throw failure(run.target, answer);
  const created = json<{ id: string; accepted?: number }>(answer);
  run.io.stdout(`${created.id}\n`);
  run.io.stderr(
    answer.status === 200
      ? `campaign ${created.id} was already created with this idempotency key: nobody is dialled again\n`
      : `campaign ${created.id} created: ${created.accepted ?? '?'} reminders accepted (tropo-app campaign status ${created.id} --watch)\n`,
  );
  return 0;
}

function seconds(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < 0.05 || value > 3600) {
    throw new UsageError(`--interval must be a number of seconds from 0.05 to 3600, got "${raw}"`);
  }
  return value;
}

/** Total, finished (an outcome) and the non-zero counts in display order. */
function tally(counts: Counts = {}): { total: number; finished: number; parts: string[] } {
  const known = [...FINAL_ORDER, ...PENDING_ORDER] as readonly string[];
  const order = [...known, ...Object.keys(counts).filter((k) => !known.includes(k))];
  let total = 0;
  let finished = 0;
  const parts: string[] = [];
  for (const status of order) {
    const n = counts[status] ?? 0;
    if (n <= 0) continue;
    total += n;
    if ((FINAL_ORDER as readonly string[]).includes(status)) finished += n;
    parts.push(`${status} ${n}`);
  }
  return { total, finished, parts };
}

/** One line about a campaign: id, name, app, state and its counts. */
export function describe(view: CampaignView): string {
  const { total, finished, parts } = tally(view.counts);
  const name = view.name ? ` "${view.name}"` : '';
  const app = view.app ? ` (${view.app})` : '';
  const detail = parts.length > 0 ? `: ${parts.join(', ')}` : '';
  return `${view.id}${name}${app} ${view.state ?? '?'}, ${finished}/${total} finished${detail}`;
}

/** The progress bar drawn on a terminal: `[#####·····] 50% 100/200 running: confirmed 80, …`. */
export function progressBar(view: CampaignView, width = 24): string {
  const { total, finished, parts } = tally(view.counts);
  const share = total === 0 ? 0 : finished / total;
  const filled = Math.round(share * width);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent} ${finished}/${total} ${view.state ?? '?'}: ${parts.join(', ')}`;
}

/** Asking again after a lost server gives up after this many failures in a row. */
const MAX_FAILURES_IN_A_ROW = 30;

async function watch(
  run: Run,
  id: string,
  fetchOnce: () => Promise<{ view: CampaignView }>,
  interval: number,
): Promise<number> {
  const { io } = run;
  let last = '';
  let failures = 0;
  for (;;) {
    let view: CampaignView;
    try {
      view = (await fetchOnce()).view;
      failures = 0;
    } catch (error) {
      // A server restarting (or Redis coming back) must not end a long watch; anything else does.
      if (!(error instanceof CampaignApiError) || !error.transient) throw error;
      failures += 1;
      if (failures >= MAX_FAILURES_IN_A_ROW) throw error;
      if (failures === 1) {
        if (io.isTTY && last !== '') io.stdout('\n');
        io.stderr(`tropo-app campaign status: ${error.lines[0] ?? ''}; asking again\n`);
        last = '';
      }
      await run.sleep(interval * 1000);
      continue;
    }
    const done = FINISHED_STATES.has(view.state ?? '');
    if (io.isTTY) {
      const line = progressBar(view);
      if (line !== last) io.stdout(`\r\x1b[2K${line}`);
      last = line;
      if (done) io.stdout('\n');
    } else {
      const line = describe(view);
      if (line !== last) io.stdout(`${line}\n`);
      last = line;
    }
    if (done) return 0;
    await run.sleep(interval * 1000);
  }
}
