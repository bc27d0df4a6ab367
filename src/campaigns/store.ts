/**
 * The campaign records in Redis (prefix `tropo:campaigns:`): a meta hash per campaign, its reminders
 * as compact JSON in one hash, their order in a list, counts per status moved atomically with each
 * change (Lua), an index by creation time, idempotency keys and per-attempt launch claims.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  campaignState,
  REMINDER_STATUSES,
  type CampaignSummary,
  type CheckedCampaign,
  type ReminderRecord,
  type ReminderStatus,
} from './model';
import { CANCEL, CLAIM, PACE, TRANSITION } from './scripts';

/** The key prefix every campaign record lives under. */
export const PREFIX = 'tropo:campaigns:';
/** How long a launch claim is kept: far longer than any job can be re-run. */
const CLAIM_TTL_SECONDS = 90 * 24 * 3600;
/** Reminders written per round trip (a 100,000-row campaign takes 100 of them). */
const CHUNK = 1000;

const keys = {
  index: `${PREFIX}index`,
  secret: `${PREFIX}secret`,
  pace: `${PREFIX}pace`,
  meta: (c: string) => `${PREFIX}${c}:meta`,
  reminders: (c: string) => `${PREFIX}${c}:reminders`,
  order: (c: string) => `${PREFIX}${c}:order`,
  counts: (c: string) => `${PREFIX}${c}:counts`,
  idempotency: (key: string) => `${PREFIX}idem:${createHash('sha256').update(key).digest('hex')}`,
  claim: (c: string, r: string, attempt: number) => `${PREFIX}claim:${c}:${r}:${attempt}`,
  creation: (c: string) => `${PREFIX}${c}:creating`,
};

/**
 * How long the right to create a campaign lasts: far past the writing and queueing of the
 * largest one, so that only a creator that died loses it (and a replay may finish its work).
 */
const CREATION_LOCK_MS = 120_000;

/** How far a campaign's creation got: nothing written, written part way (or being written), done. */
export type CreationState =
  { kind: 'none' } | { kind: 'partial' } | { kind: 'done'; total: number };

/** A status change: allowed from these statuses (and this attempt, when given), with these fields. */
export interface Transition {
  from: readonly ReminderStatus[];
  attempt?: number;
  patch: Partial<ReminderRecord>;
}

/** What claiming an attempt found. */
export type ClaimResult =
  | { kind: 'claimed'; record: ReminderRecord }
  | { kind: 'unknown'; record: ReminderRecord }
  | { kind: 'taken' }
  | { kind: 'skip'; record: ReminderRecord | undefined };

type ScriptRedis = Redis & {
  campaignTransition(...args: string[]): Promise<[number, string]>;
  campaignClaim(...args: string[]): Promise<[string, string]>;
  campaignCancel(...args: string[]): Promise<string[]>;
  campaignPace(...args: string[]): Promise<number>;
};

/** The store over one ioredis connection (it defines its scripts on it). */
export class CampaignStore {
  private readonly redis: ScriptRedis;

  constructor(redis: Redis) {
    redis.defineCommand('campaignTransition', { numberOfKeys: 2, lua: TRANSITION });
    redis.defineCommand('campaignClaim', { numberOfKeys: 3, lua: CLAIM });
    redis.defineCommand('campaignCancel', { numberOfKeys: 2, lua: CANCEL });
    redis.defineCommand('campaignPace', { numberOfKeys: 1, lua: PACE });
    this.redis = redis as ScriptRedis;
  }

  /** A new campaign id: 16 hex digits (random, so ids never collide across instances). */
  static newId(): string {
    return randomBytes(8).toString('hex');
  }

  /** Binds an Idempotency-Key to `id` unless it is already bound; returns the campaign it names. */
  async bindIdempotencyKey(key: string, id: string): Promise<{ id: string; fresh: boolean }> {
    const set = await this.redis.set(keys.idempotency(key), id, 'NX');
    if (set === 'OK') return { id, fresh: true };
    const existing = await this.redis.get(keys.idempotency(key));
    return existing === null ? { id, fresh: false } : { id: existing, fresh: false };
  }

  /** Writes a checked campaign, every reminder `scheduled`; `nextAt` gives each one's first due time. */
  async create(
    id: string,
    campaign: CheckedCampaign,
    nextAt: (index: number) => number,
    now = Date.now(),
  ): Promise<void> {
    const total = campaign.reminders.length;
    await this.redis
      .multi()
      .hset(keys.meta(id), {
        app: campaign.app,
        name: campaign.name,
        createdAt: String(now),
        total: String(total),
        cancelled: '0',
        // Until every first attempt is queued (markCreated): a replay of the request finishes it.
        creating: '1',
      })
      .hset(keys.counts(id), { scheduled: String(total), _launches: '0' })
      .exec();
    for (let start = 0; start < total; start += CHUNK) {
      const slice = campaign.reminders.slice(start, start + CHUNK);
      const fields: Record<string, string> = {};
      slice.forEach((r, i) => {
        const record: ReminderRecord = {
          s: 'scheduled',
          a: 0,
          n: nextAt(start + i),
          l: null,
          o: null,
          u: now,
          z: r.timeZone,
          p: r.parameters,
        };
        fields[r.id] = JSON.stringify(record);
      });
      await this.redis
        .multi()
        .hset(keys.reminders(id), fields)
        .rpush(keys.order(id), ...slice.map((r) => r.id))
        .exec();
    }
    // Listed only once complete: a campaign half written is never shown.
    await this.redis.zadd(keys.index, now, id);
  }

  /** Takes the right to create (or finish creating) campaign `id`; false when someone holds it. */
  async lockCreation(id: string): Promise<boolean> {
    return (await this.redis.set(keys.creation(id), '1', 'PX', CREATION_LOCK_MS, 'NX')) === 'OK';
  }

  /** Gives the right to create `id` back. */
  async unlockCreation(id: string): Promise<void> {
    await this.redis.del(keys.creation(id));
  }

  /** Every first attempt of `id` is queued: the campaign is complete. */
  async markCreated(id: string): Promise<void> {
    await this.redis.hdel(keys.meta(id), 'creating');
  }

  /** How far the creation of `id` got (campaigns written before the marker existed are done). */
  async creationState(id: string): Promise<CreationState> {
    const [app, creating, total] = await this.redis.hmget(
      keys.meta(id),
      'app',
      'creating',
      'total',
    );
    if (app === null) return { kind: 'none' };
    return creating === '1' ? { kind: 'partial' } : { kind: 'done', total: Number(total ?? 0) };
  }

  /** Removes what a creation that stopped part way wrote, so that it can be written again. */
  async discard(id: string): Promise<void> {
    await this.redis
      .multi()
      .del(keys.meta(id), keys.counts(id), keys.reminders(id), keys.order(id))
      .zrem(keys.index, id)
      .exec();
  }

  /** The campaign's summary, or undefined when there is none of that id. */
  async summary(id: string): Promise<CampaignSummary | undefined> {
    const [meta, counts] = await Promise.all([
      this.redis.hgetall(keys.meta(id)),
      this.redis.hgetall(keys.counts(id)),
    ]);
    if (meta.app === undefined) return undefined;
    const byStatus: Partial<Record<ReminderStatus, number>> = {};
    for (const status of REMINDER_STATUSES) {
      const n = Number(counts[status] ?? 0);
      if (n > 0) byStatus[status] = n;
    }
    const launches = Number(counts._launches ?? 0);
    return {
      id,
      app: meta.app,
      name: meta.name ?? '',
      createdAt: new Date(Number(meta.createdAt)).toISOString(),
      state: campaignState(meta.cancelled === '1', byStatus, launches),
      total: Number(meta.total ?? 0),
      launches,
      counts: byStatus,
    };
  }

  /** Every campaign's summary, newest first (at most `limit`). */
  async list(limit = 1000): Promise<CampaignSummary[]> {
    const ids = await this.redis.zrevrange(keys.index, 0, limit - 1);
    const summaries = await Promise.all(ids.map((id) => this.summary(id)));
    return summaries.filter((s): s is CampaignSummary => s !== undefined);
  }

  /** Reminders in row order from `offset`, at most `limit`. */
  async reminders(
    id: string,
    offset: number,
    limit: number,
  ): Promise<{ id: string; record: ReminderRecord }[]> {
    if (limit <= 0) return [];
    const ids = await this.redis.lrange(keys.order(id), offset, offset + limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(keys.reminders(id), ...ids);
    const out: { id: string; record: ReminderRecord }[] = [];
    ids.forEach((rid, i) => {
      const raw = raws[i];
      if (raw) out.push({ id: rid, record: JSON.parse(raw) as ReminderRecord });
    });
    return out;
  }

  /** Every reminder in row order, a chunk at a time (for reports of any size). */
  async *allReminders(id: string): AsyncGenerator<{ id: string; record: ReminderRecord }[]> {
    for (let offset = 0; ; offset += CHUNK) {
      const chunk = await this.reminders(id, offset, CHUNK);
      if (chunk.length === 0) return;
      yield chunk;
      if (chunk.length < CHUNK) return;
    }
  }

  /** One reminder's record. */
  async reminder(id: string, reminder: string): Promise<ReminderRecord | undefined> {
    const raw = await this.redis.hget(keys.reminders(id), reminder);
    return raw === null ? undefined : (JSON.parse(raw) as ReminderRecord);
  }

  /** True once the campaign was cancelled (DELETE). */
  async isCancelled(id: string): Promise<boolean> {
    return (await this.redis.hget(keys.meta(id), 'cancelled')) === '1';
  }

  /** The campaign's app, or undefined when there is no such campaign. */
  async appOf(id: string): Promise<string | undefined> {
    return (await this.redis.hget(keys.meta(id), 'app')) ?? undefined;
  }

  /** Applies a status change atomically; the new record when it applied, undefined when not. */
  async transition(
    id: string,
    reminder: string,
    t: Transition,
  ): Promise<ReminderRecord | undefined> {
    const [applied, raw] = await this.redis.campaignTransition(
      keys.reminders(id),
      keys.counts(id),
      reminder,
      JSON.stringify(t.from),
      t.attempt === undefined ? '' : String(t.attempt),
      JSON.stringify(t.patch),
    );
    return applied === 1 ? (JSON.parse(raw) as ReminderRecord) : undefined;
  }

  /** Claims `attempt` of a reminder before its launch (see scripts.ts CLAIM). */
  async claim(
    id: string,
    reminder: string,
    attempt: number,
    now = Date.now(),
  ): Promise<ClaimResult> {
    const [kind, raw] = await this.redis.campaignClaim(
      keys.reminders(id),
      keys.counts(id),
      keys.claim(id, reminder, attempt),
      reminder,
      String(attempt),
      String(now),
      String(CLAIM_TTL_SECONDS),
    );
    const record = raw ? (JSON.parse(raw) as ReminderRecord) : undefined;
    if (kind === 'claimed' && record) return { kind, record };
    if (kind === 'unknown' && record) return { kind, record };
    if (kind === 'taken') return { kind };
    return { kind: 'skip', record };
  }

  /**
   * Marks the campaign cancelled and every reminder still scheduled `cancelled`; returns those
   * reminders with the attempt their pending job would have made. Undefined: no such campaign.
   */
  async cancel(
    id: string,
    now = Date.now(),
  ): Promise<{ id: string; attempt: number }[] | undefined> {
    if ((await this.redis.hset(keys.meta(id), 'cancelled', '1')) === 1) {
      // hset answered 1: the field was new, so the campaign did not exist. Undo.
      await this.redis.del(keys.meta(id));
      return undefined;
    }
    const cancelled: { id: string; attempt: number }[] = [];
    for (let offset = 0; ; offset += CHUNK) {
      const ids = await this.redis.lrange(keys.order(id), offset, offset + CHUNK - 1);
      if (ids.length === 0) break;
      const flat = await this.redis.campaignCancel(
        keys.reminders(id),
        keys.counts(id),
        String(now),
        ...ids,
      );
      for (let i = 0; i + 1 < flat.length; i += 2) {
        cancelled.push({ id: flat[i] as string, attempt: Number(flat[i + 1]) + 1 });
      }
      if (ids.length < CHUNK) break;
    }
    return cancelled;
  }

  /** Reserves the next launch slot `intervalMs` after the last (all instances share it); ms to wait. */
  async reserveLaunchSlot(intervalMs: number): Promise<number> {
    return Number(await this.redis.campaignPace(keys.pace, String(intervalMs)));
  }

  /** The secret that signs campaign references: made once (SET NX), shared by every instance. */
  async secret(): Promise<string> {
    await this.redis.set(keys.secret, randomBytes(32).toString('hex'), 'NX');
    const secret = await this.redis.get(keys.secret);
    if (secret === null) throw new Error('the campaign secret vanished from Redis');
    return secret;
  }

  /** What Redis persists: AOF on, or RDB snapshots configured. */
  async persistence(): Promise<{ appendonly: boolean; save: boolean }> {
    const aof = (await this.redis.config('GET', 'appendonly')) as string[];
    const save = (await this.redis.config('GET', 'save')) as string[];
    return { appendonly: aof[1] === 'yes', save: (save[1] ?? '').trim() !== '' };
  }
}
