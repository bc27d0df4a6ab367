/**
 * Reading a campaign from `POST /api/campaigns`: a JSON body or a CSV with a header row, every row
 * checked (unique ids, time, zone, the app's params schema, numbers) before anything is created.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { toE164 } from '../sdk/phone';
import {
  campaignBodySchema,
  REMINDER_ID,
  reminderRowSchema,
  RESERVED_PARAMETERS,
  type CheckedCampaign,
  type CheckedReminder,
} from './model';
import { instantOf, isTimeZone } from './time';

/** One problem with the campaign; `row` is the 1-based data row (0 for the campaign itself). */
export interface ImportIssue {
  row: number;
  id?: string;
  path: string;
  message: string;
}

/** What the import needs to know of an app: whether it exists, and its params schema if any. */
export type AppLookup = (name: string) => { params?: z.ZodType<unknown> | undefined } | undefined;

/** The outcome of an import: a campaign, or why not (too many reminders is its own answer). */
export type ImportResult =
  { ok: true; campaign: CheckedCampaign } | { ok: false; tooMany?: boolean; issues: ImportIssue[] };

/** Options of one import. */
export interface ImportOptions {
  lookupApp: AppLookup;
  defaultTimeZone: string;
  maxReminders: number;
  /** Issues beyond this many are summarised in one last issue (a body of bad rows stays small). */
  maxIssues?: number;
  now?: number;
}

/** A row before its checks: strings as the JSON or CSV gave them. */
interface RawRow {
  id: string | undefined;
  at: string | undefined;
  timeZone: string | undefined;
  parameters: Record<string, string>;
}

const APP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Rows checked between two turns of the event loop. */
const YIELD_EVERY = 500;

/** Reads a JSON body (already parsed) into a checked campaign. */
export async function importJson(body: unknown, options: ImportOptions): Promise<ImportResult> {
  const top = campaignBodySchema.safeParse(body);
  if (!top.success) {
    return {
      ok: false,
      issues: top.error.issues.map((i) => ({
        row: 0,
        path: i.path.map(String).join('.') || '(body)',
        message: i.message,
      })),
    };
  }
  const { app, name, reminders } = top.data;
  if (reminders.length > options.maxReminders) return tooMany(options.maxReminders);
  const rows: (RawRow | ImportIssue[])[] = reminders.map((value, index) => {
    const row = index + 1;
    const parsed = reminderRowSchema.safeParse(value);
    if (!parsed.success) {
      const id = idOf(value);
      return parsed.error.issues.map((i) => ({
        row,
        ...(id === undefined ? {} : { id }),
        path: i.path.map(String).join('.') || '(row)',
        message: i.message,
      }));
    }
    const parameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.data.parameters ?? {})) parameters[k] = String(v);
    return { id: parsed.data.id, at: parsed.data.at, timeZone: parsed.data.timeZone, parameters };
  });
  return checkRows(app, name, rows, options);
}

/** Reads a CSV (header `id,at,timeZone,…`; the other columns are parameters) into a checked campaign. */
export async function importCsv(
  text: string,
  query: { app?: string | undefined; name?: string | undefined },
  options: ImportOptions,
): Promise<ImportResult> {
  let records: string[][];
  try {
    // Without `columns`, csv-parse yields each record as an array of cells.
    records = parseCsv(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) satisfies string[][];
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    return {
      ok: false,
      issues: [
        {
          row: typeof line === 'number' ? Math.max(line - 1, 0) : 0,
          path: '(csv)',
          message: `is not valid CSV: ${err instanceof Error ? err.message : String(err)}`,
        },
      ],
    };
  }
  const issues: ImportIssue[] = [];
  if (query.app === undefined || query.app === '') {
    issues.push({ row: 0, path: 'app', message: 'is required (?app=NAME)' });
  }
  const header = records[0];
  if (header === undefined) {
    return { ok: false, issues: [...issues, { row: 0, path: '(csv)', message: 'is empty' }] };
  }
  for (const column of ['id', 'at']) {
    if (!header.includes(column)) {
      issues.push({ row: 0, path: `(header).${column}`, message: 'is a required column' });
    }
  }
  const seen = new Set<string>();
  for (const column of header) {
    if (column === '')
      issues.push({ row: 0, path: '(header)', message: 'has an empty column name' });
    else if (seen.has(column))
      issues.push({ row: 0, path: `(header).${column}`, message: 'appears twice' });
    seen.add(column);
  }
  if (issues.length > 0) return { ok: false, issues };
  const data = records.slice(1);
  if (data.length === 0)
    return {
      ok: false,
      issues: [{ row: 0, path: 'reminders', message: 'must hold at least one reminder' }],
    };
  if (data.length > options.maxReminders) return tooMany(options.maxReminders);
  const rows: (RawRow | ImportIssue[])[] = data.map((cells, index) => {
    if (cells.length !== header.length) {
      return [
        {
          row: index + 1,
          ...(cells[header.indexOf('id')] ? { id: cells[header.indexOf('id')] as string } : {}),
          path: '(row)',
          message: `has ${cells.length} cells, the header ${header.length}`,
        },
      ];
    }
    const row: RawRow = { id: undefined, at: undefined, timeZone: undefined, parameters: {} };
    header.forEach((column, i) => {
      const cell = cells[i] ?? '';
      if (column === 'id') row.id = cell;
      else if (column === 'at') row.at = cell;
      else if (column === 'timeZone') row.timeZone = cell === '' ? undefined : cell;
      // An empty cell is an absent parameter, so optional parameters can be left blank.
      else if (cell !== '') row.parameters[column] = cell;
    });
    return row;
  });
  return checkRows(query.app as string, query.name, rows, options);
}

function tooMany(max: number): ImportResult {
  return {
    ok: false,
    tooMany: true,
    issues: [
      {
        row: 0,
        path: 'reminders',
        message: `must hold at most ${max} reminders (CAMPAIGN_MAX_REMINDERS)`,
      },
    ],
  };
}

function idOf(value: unknown): string | undefined {
  const id =
    typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && REMINDER_ID.test(id) ? id : undefined;
}

/** Checks every row against the app and each other; any issue and nothing is accepted. */
async function checkRows(
  app: string,
  name: string | undefined,
  rows: readonly (RawRow | ImportIssue[])[],
  options: ImportOptions,
): Promise<ImportResult> {
  const issues: ImportIssue[] = [];
  const found = APP_NAME.test(app) ? options.lookupApp(app) : undefined;
  if (!found) issues.push({ row: 0, path: 'app', message: 'must be the name of a registered app' });
  const schema = found?.params;
  const now = options.now ?? Date.now();
  const ids = new Map<string, number>();
  const reminders: CheckedReminder[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    // A big campaign takes seconds to check: the server keeps answering calls meanwhile.
    if (index > 0 && index % YIELD_EVERY === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const raw = rows[index] as RawRow | ImportIssue[];
    const row = index + 1;
    if (Array.isArray(raw)) {
      issues.push(...raw);
      continue;
    }
    const before = issues.length;
    const id = raw.id ?? '';
    const problem = (path: string, message: string) =>
      issues.push({ row, ...(id !== '' ? { id } : {}), path, message });
    if (id === '') problem('id', 'is required');
    else if (!REMINDER_ID.test(id))
      problem('id', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
    else if (ids.has(id)) problem('id', `repeats the id of row ${ids.get(id)}`);
    else ids.set(id, row);
    const timeZone = raw.timeZone ?? options.defaultTimeZone;
    const zoneOk = isTimeZone(timeZone);
    if (!zoneOk) problem('timeZone', 'must be an IANA time zone, e.g. America/New_York');
    let dueAt = now;
    if (raw.at === undefined || raw.at === '') problem('at', 'is required');
    else if (zoneOk) {
      const instant = instantOf(raw.at, timeZone);
      if (instant.ok) dueAt = Math.max(instant.ms, now);
      else problem('at', instant.message);
    }
    for (const [key, value] of Object.entries(raw.parameters)) {
      if (RESERVED_PARAMETERS.has(key)) problem(`parameters.${key}`, 'is set by the server');
      else if (key.length > 64)
        problem(`parameters.${key.slice(0, 64)}`, 'is a name longer than 64 characters');
      else if (value.length > 4096) problem(`parameters.${key}`, 'must be at most 4096 characters');
    }
    if (schema) {
      const checked = schema.safeParse(raw.parameters);
      if (!checked.success) {
        for (const i of checked.error.issues) {
          problem(['parameters', ...i.path.map(String)].join('.'), i.message);
        }
      }
    } else if (raw.parameters.numberToDial !== undefined && !toE164(raw.parameters.numberToDial)) {
      problem('parameters.numberToDial', 'must be a phone number, e.g. +14075551212');
    }
    if (issues.length === before)
      reminders.push({ id, dueAt, timeZone, parameters: raw.parameters });
  }
  if (issues.length > 0) return { ok: false, issues: capped(issues, options.maxIssues ?? 1000) };
  return { ok: true, campaign: { app, name: name ?? '', reminders } };
}

function capped(issues: ImportIssue[], max: number): ImportIssue[] {
  if (issues.length <= max) return issues;
  const kept = issues.slice(0, max);
  kept.push({ row: 0, path: '(campaign)', message: `and ${issues.length - max} more issues` });
  return kept;
}
