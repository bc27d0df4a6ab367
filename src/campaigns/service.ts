/** What the campaign routes call: import and create, list, show, report and cancel, each answered as status and JSON (no Express here). */
import type { Dispatcher } from './dispatcher';
import {
  importCsv,
  importJson,
  type AppLookup,
  type ImportIssue,
  type ImportResult,
} from './import';
import { reminderView, type CampaignSettings, type ReminderRecord } from './model';
import { CampaignStore } from './store';
import { afterQuietHours } from './time';

/** A JSON answer: status and body (codes are the error catalogue's). */
export interface ServiceAnswer {
  status: number;
  body: unknown;
  code?: string;
}

/** One `POST /api/campaigns`, as the route read it. */
export interface CreateRequest {
  /** `json` when the body was parsed JSON, `csv` when it is CSV text. */
  kind: 'json' | 'csv';
  body: unknown;
  query: { app?: string | undefined; name?: string | undefined };
  idempotencyKey: string | undefined;
}

/** How long a replayed Idempotency-Key waits for the request that is creating its campaign. */
const CREATION_WAIT_MS = 30_000;

/** Reminders per page of `GET /api/campaigns/:id`. */
export const PAGE_LIMIT = 1000;

const MESSAGES = {
  CAMPAIGN_INVALID: 'The campaign is not valid; nothing was created.',
  CAMPAIGN_TOO_LARGE:
    'The campaign holds more reminders than CAMPAIGN_MAX_REMINDERS; nothing was created.',
  CAMPAIGN_NOT_FOUND: 'No campaign has that id.',
  CAMPAIGN_IN_PROGRESS:
    'A campaign with this Idempotency-Key is still being created; ask again in a moment.',
};

function error(
  status: number,
  code: keyof typeof MESSAGES,
  issues: ImportIssue[] = [],
): ServiceAnswer {
  return {
    status,
    code,
    body: {
      error: {
        code,
        message: MESSAGES[code],
        issues: issues.map(({ row, id, path, message }) => ({
          row,
          ...(id === undefined ? {} : { id }),
          path,
          message,
        })),
      },
    },
  };
}

/** The campaign operations over one store and dispatcher. */
export class CampaignService {
  constructor(
    private readonly store: CampaignStore,
    private readonly dispatcher: Dispatcher,
    private readonly settings: CampaignSettings,
    private readonly lookupApp: AppLookup,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks every row, then stores the campaign and queues its first attempts: 201, or 200 for a repeated Idempotency-Key. */
  async create(request: CreateRequest): Promise<ServiceAnswer> {
    const now = this.now();
    const options = {
      lookupApp: this.lookupApp,
      defaultTimeZone: this.settings.defaultTimeZone,
      maxReminders: this.settings.maxReminders,
      now,
    };
    const imported: ImportResult =
      request.kind === 'csv'
        ? await importCsv(
            typeof request.body === 'string' ? request.body : '',
            request.query,
            options,
          )
        : await importJson(request.body, options);
    if (!imported.ok) {
      return imported.tooMany
        ? error(400, 'CAMPAIGN_TOO_LARGE', imported.issues)
        : error(400, 'CAMPAIGN_INVALID', imported.issues);
    }
    const { campaign } = imported;
    const key = request.idempotencyKey;
    let id = CampaignStore.newId();
    // Held while writing and queueing: a replay of the key waits for it, or finishes the work of
    // a creator that died part way (its lock expires).
    await this.store.lockCreation(id);
    if (key !== undefined) {
      const bound = await this.store.bindIdempotencyKey(key, id);
      if (!bound.fresh) {
        await this.store.unlockCreation(id);
        id = bound.id;
        const found = await this.finishOrFind(id);
        if (found.kind === 'done') return { status: 200, body: { id, accepted: found.total } };
        if (found.kind === 'busy') return error(409, 'CAMPAIGN_IN_PROGRESS');
        // Taken over: what the dead creator wrote is gone, and this request writes it again.
      }
    }
    const due = campaign.reminders.map((r) =>
      afterQuietHours(r.dueAt, r.timeZone, this.settings.quietHours),
    );
    try {
      await this.store.create(id, campaign, (i) => due[i] as number, now);
      await this.dispatcher.schedule(
        id,
        campaign.reminders.map((r, i) => ({ r: r.id, a: 1, at: due[i] as number })),
      );
      await this.store.markCreated(id);
    } catch (err) {
      // With a key, a replay finishes the campaign; without one, nobody could: nothing stays.
      if (key === undefined) await this.store.discard(id).catch(() => undefined);
      throw err;
    } finally {
      await this.store.unlockCreation(id).catch(() => undefined);
    }
    return { status: 201, body: { id, accepted: campaign.reminders.length } };
  }

  /**
   * For a replayed Idempotency-Key: the campaign when it is complete; `busy` while another request
   * still creates it (waited for up to CREATION_WAIT_MS); `taken` when its creator stopped part
   * way, after clearing what it wrote and taking the right to write it again.
   */
  private async finishOrFind(
    id: string,
  ): Promise<{ kind: 'done'; total: number } | { kind: 'busy' } | { kind: 'taken' }> {
    const until = Date.now() + CREATION_WAIT_MS;
    for (;;) {
      const state = await this.store.creationState(id);
      if (state.kind === 'done') return state;
      if (await this.store.lockCreation(id)) {
        // Looked at again under the lock: the creator may have finished just before giving it up.
        const now = await this.store.creationState(id);
        if (now.kind === 'done') {
          await this.store.unlockCreation(id);
          return now;
        }
        await this.store.discard(id);
        return { kind: 'taken' };
      }
      if (Date.now() >= until) return { kind: 'busy' };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every campaign with its counts, newest first. */
  async list(): Promise<ServiceAnswer> {
    return { status: 200, body: { campaigns: await this.store.list() } };
  }

  /** One campaign with a page of its reminders (`offset`, `limit` ≤ 1000). */
  async show(id: string, offsetText?: string, limitText?: string): Promise<ServiceAnswer> {
    const summary = await this.store.summary(id);
    if (!summary) return error(404, 'CAMPAIGN_NOT_FOUND');
    const offset = wholeNumber(offsetText, 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber(limitText, PAGE_LIMIT, PAGE_LIMIT);
    if (offset === undefined || limit === undefined) {
      return error(400, 'CAMPAIGN_INVALID', [
        {
          row: 0,
          path: offset === undefined ? 'offset' : 'limit',
          message: `must be a whole number (limit at most ${PAGE_LIMIT})`,
        },
      ]);
    }
    const page = await this.store.reminders(id, offset, limit);
    return {
      status: 200,
      body: {
        ...summary,
        offset,
        limit,
        reminders: page.map(({ id: r, record }) => reminderView(r, record)),
      },
    };
  }

  /** The report as CSV lines, a chunk at a time; undefined when there is no such campaign. */
  async report(id: string): Promise<AsyncIterable<string> | undefined> {
    if (!(await this.store.summary(id))) return undefined;
    const store = this.store;
    return (async function* lines() {
      yield `${REPORT_COLUMNS.join(',')}\n`;
      for await (const chunk of store.allReminders(id)) {
        yield chunk.map(({ id: r, record }) => reportLine(r, record)).join('');
      }
    })();
  }

  /** Cancels what has not launched: 200 with the campaign's summary. */
  async cancel(id: string): Promise<ServiceAnswer> {
    const cancelled = await this.store.cancel(id, this.now());
    if (cancelled === undefined) return error(404, 'CAMPAIGN_NOT_FOUND');
    await this.dispatcher.unschedule(id, cancelled);
    const summary = await this.store.summary(id);
    return { status: 200, body: { ...summary, cancelled: cancelled.length } };
  }
}

function wholeNumber(text: string | undefined, fallback: number, max: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/** The columns of `report.csv`. */
export const REPORT_COLUMNS = [
  'id',
  'status',
  'attempts',
  'nextAttemptAt',
  'lastSessionId',
  'outcome',
  'updatedAt',
];

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function reportLine(id: string, record: ReminderRecord): string {
  const v = reminderView(id, record);
  return `${[v.id, v.status, v.attempts, v.nextAttemptAt, v.lastSessionId, v.outcome, v.updatedAt].map(cell).join(',')}\n`;
}
