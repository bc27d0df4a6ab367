import { DateTime } from 'luxon';
import type {
  Campaigns,
  CampaignRef,
  CampaignSettings,
  DispatchObserver,
} from '../../src/campaigns';
import { createCampaignMetrics } from '../../src/campaigns/metrics';
import { launchJobId } from '../../src/campaigns/attempts';
import { createSessionApiClient } from '../../src/session-api';
import { flushDb, openTestCampaigns, redisDb } from '../helpers/campaigns';
import { useTestRedis, type TestRedis } from '../helpers/redis-server';
import { startStubTropo, type StubTropo } from '../helpers/stub-tropo';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'tok-campaign-dispatch-0123456789abcdef0123456789abcdef';
const NOW_AT = '2020-01-01T00:00:00Z'; // in the past: due now

/** One launch the stub Session API accepted (or refused). */
interface Launch {
  at: number;
  p: Record<string, string>;
}

describe('the campaign dispatcher (real Redis, BullMQ, a stub Session API)', () => {
  let redis: TestRedis;
  let stub: StubTropo;
  let launches: Launch[];
  /** When the dispatcher called the launcher (what its pacing controls). */
  let calls: number[];
  let opened: Campaigns[];
  let db = 2;

  beforeAll(async () => {
    redis = await useTestRedis();
    stub = await startStubTropo({
      fallback: (req) => {
        const p = JSON.parse(req.body) as Record<string, string>;
        launches.push({ at: Date.now(), p });
        const number = p.numberToDial ?? '';
        if (number.endsWith('9999')) {
          return {
            body: '<session><success>false</success><reason>FAILED TO ROUTE</reason></session>',
          };
        }
        if (number.endsWith('8888')) return { hang: true };
        const id = `s-${p.reminder}-${p.attempt}`;
        return { body: `<session><success>true</success><token>x</token><id>${id}</id></session>` };
      },
    });
  });
  beforeEach(() => {
    launches = [];
    calls = [];
    opened = [];
  });
  afterEach(async () => {
    for (const c of opened) await c.close();
  });
  afterAll(async () => {
    await stub.close();
    await redis.release();
  });

  /** Opens campaigns on a fresh database of this file; `dispatch` true unless said. */
  async function open(
    settings: Partial<CampaignSettings>,
    options: {
      dispatch?: boolean;
      db?: number;
      launchMarginMs?: number;
      observer?: DispatchObserver;
      canServe?: () => boolean;
    } = {},
  ) {
    const url = redisDb(redis.url, options.db ?? db);
    if (options.db === undefined) {
      await flushDb(url);
      db += 1;
    }
    const client = createSessionApiClient({ baseUrl: stub.baseUrl, retries: 0, timeoutMs: 300 });
    const opening = await openTestCampaigns({
      url,
      settings,
      dispatch: options.dispatch ?? true,
      launch: (_app, parameters) => {
        calls.push(Date.now());
        return client.createSession({ token: TOKEN, parameters });
      },
      ...(options.launchMarginMs === undefined ? {} : { launchMarginMs: options.launchMarginMs }),
      ...(options.observer ? { observer: options.observer } : {}),
      ...(options.canServe ? { canServe: options.canServe } : {}),
    });
    opened.push(opening.campaigns);
    return { ...opening, url };
  }

  async function create(
    c: Campaigns,
    reminders: { id: string; number?: string; at?: string; timeZone?: string }[],
  ) {
    const answer = await c.service.create({
      kind: 'json',
      body: {
        app: 'appointment-reminder',
        reminders: reminders.map((r) => ({
          id: r.id,
          at: r.at ?? NOW_AT,
          ...(r.timeZone ? { timeZone: r.timeZone } : {}),
          parameters: {
            numberToDial: r.number ?? '+14075550100',
            msg: 'See you at 10',
            confirm: 'true',
          },
        })),
      },
      query: {},
      idempotencyKey: undefined,
    });
    expect(answer.status).toBe(201);
    return (answer.body as { id: string }).id;
  }

  const launchesOf = (reminder: string) => launches.filter((l) => l.p.reminder === reminder);
  /** Waits for the launch of that attempt and returns the reference it carries, verified. */
  async function launched(c: Campaigns, reminder: string, attempt: number): Promise<CampaignRef> {
    await waitFor(
      () => launchesOf(reminder).some((l) => l.p.attempt === String(attempt)),
      `launch ${reminder}#${attempt}`,
    );
    const launch = launchesOf(reminder).find((l) => l.p.attempt === String(attempt)) as Launch;
    const ref = c.verify(launch.p);
    expect(ref).toEqual({ campaign: launch.p.campaign, reminder, attempt });
    return ref as CampaignRef;
  }
  const record = (c: Campaigns, id: string, reminder: string) => c.store.reminder(id, reminder);
  async function settled(c: Campaigns, id: string, reminder: string, status: string) {
    await waitFor(
      async () => (await record(c, id, reminder))?.s === status,
      `${reminder} ${status}`,
    );
    return (await record(c, id, reminder))!;
  }

  /** The most launches any one-second window holds. */
  function busiestSecond(times: number[]): number {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i += 1) {
      while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j += 1;
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  it('when 40 reminders are due now at 20/s, then each is launched once, no second holds more than 21, and each ends launched', async () => {
    const { campaigns } = await open({ launchRate: 20 });
    const ids = Array.from({ length: 40 }, (_, i) => `r-${i}`);
    const id = await create(
      campaigns,
      ids.map((r, i) => ({ id: r, number: `+1407555${String(1000 + i)}` })),
    );
    await waitFor(
      async () => (await campaigns.store.summary(id))?.counts.launched === 40,
      'all launched',
      20_000,
    );
    for (const r of ids) expect(launchesOf(r)).toHaveLength(1);
    expect(busiestSecond(calls)).toBeLessThanOrEqual(21);
    // From the second launch on: the first waits for the workers to start.
    const times = [...calls].sort((a, b) => a - b).slice(1);
    const rate = ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number));
    console.info(
      `campaign dispatch: ${calls.length} launches at ${rate.toFixed(1)}/s (configured 20/s); ` +
        `busiest second: ${busiestSecond(calls)} sent, ${busiestSecond(launches.map((l) => l.at))} received`,
    );
    const first = launches[0]!.p;
    expect(first).toMatchObject({
      app: 'appointment-reminder',
      attempt: '1',
      campaign: id,
      msg: 'See you at 10',
    });
    expect(first.campaignRef).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const r0 = await record(campaigns, id, 'r-0');
    expect(r0).toMatchObject({ s: 'launched', a: 1, l: 's-r-0-1' });
    const summary = await campaigns.store.summary(id);
    expect(summary).toMatchObject({ state: 'running', counts: { launched: 40 }, launches: 40 });
  });

  it('when a call reports busy each time, then it is retried up to CAMPAIGN_ATTEMPTS and ends busy; the first outcome wins', async () => {
    const { campaigns } = await open({ launchRate: 50, attempts: 3, retryDelaySeconds: 0 });
    const id = await create(campaigns, [{ id: 'b-1' }, { id: 'b-2', number: '+14075550102' }]);
    for (const attempt of [1, 2, 3]) {
      const ref = await launched(campaigns, 'b-1', attempt);
      expect(await campaigns.report(ref, 'busy')).toBe(true);
      // A second report of the same attempt changes nothing.
      expect(await campaigns.report(ref, 'confirmed')).toBe(false);
    }
    const done = await settled(campaigns, id, 'b-1', 'busy');
    expect(done).toMatchObject({ a: 3, o: 'busy', n: null });
    expect(launchesOf('b-1')).toHaveLength(3);

    const first = await launched(campaigns, 'b-2', 1);
    await campaigns.report(first, 'no-answer');
    const second = await launched(campaigns, 'b-2', 2);
    expect(await campaigns.report(second, 'confirmed')).toBe(true);
    expect(await settled(campaigns, id, 'b-2', 'confirmed')).toMatchObject({
      a: 2,
      o: 'confirmed',
      l: 's-b-2-2',
    });
    expect(launchesOf('b-2')).toHaveLength(2);
    expect(await campaigns.store.summary(id)).toMatchObject({
      state: 'done',
      counts: { busy: 1, confirmed: 1 },
    });
  });

  it('when a reference is forged or missing, then it verifies to nothing', async () => {
    const { campaigns } = await open({ launchRate: 50 }, { dispatch: false });
    const good = { campaign: 'c', reminder: 'r', attempt: '1' };
    expect(campaigns.verify({ ...good, campaignRef: 'x'.repeat(43) })).toBeUndefined();
    expect(campaigns.verify(good)).toBeUndefined();
    expect(campaigns.verify(undefined)).toBeUndefined();
  });

  it('when the retry falls in quiet hours, then it waits (scheduled, nextAttemptAt) until they end in the reminder zone', async () => {
    const zone = 'Asia/Kolkata';
    const local = DateTime.now().setZone(zone);
    const startMinute = (local.hour * 60 + local.minute + 1) % 1440; // quiet from a minute from now…
    const endMinute = (startMinute + 120) % 1440; // …for two hours
    const { campaigns } = await open({
      launchRate: 50,
      retryDelaySeconds: 90,
      quietHours: { startMinute, endMinute },
    });
    const id = await create(campaigns, [{ id: 'q-1', timeZone: zone }]);
    const ref = await launched(campaigns, 'q-1', 1);
    await campaigns.report(ref, 'no-answer');
    const waiting = await settled(campaigns, id, 'q-1', 'scheduled');
    const end = DateTime.fromMillis(waiting.n as number, { zone });
    expect(end.hour * 60 + end.minute).toBe(endMinute);
    expect((waiting.n as number) - Date.now()).toBeGreaterThan(100 * 60_000);
    const job = await campaigns.dispatcher.launches.getJob(launchJobId(id, 'q-1', 2));
    expect(await job?.getState()).toBe('delayed');
    expect(launchesOf('q-1')).toHaveLength(1);
  });

  it('when a job comes due inside quiet hours, then the worker puts it back until they end and launches nothing', async () => {
    const zone = 'Europe/London';
    const scheduler = await open({}, { dispatch: false });
    const id = await create(scheduler.campaigns, [{ id: 'w-1', timeZone: zone }]);
    const local = DateTime.now().setZone(zone);
    const startMinute = (local.hour * 60 + local.minute + 1439) % 1440; // quiet since a minute ago
    const endMinute = (startMinute + 180) % 1440;
    const { campaigns } = await open(
      { launchRate: 50, quietHours: { startMinute, endMinute } },
      { db: db - 1 },
    );
    const due = (await record(scheduler.campaigns, id, 'w-1'))?.n;
    await waitFor(
      async () => (await record(campaigns, id, 'w-1'))?.n !== due,
      'moved past quiet hours',
    );
    await waitFor(
      async () =>
        (await (
          await campaigns.dispatcher.launches.getJob(launchJobId(id, 'w-1', 1))
        )?.getState()) === 'delayed',
      'delayed',
    );
    const r = (await record(campaigns, id, 'w-1'))!;
    expect(r.s).toBe('scheduled');
    const end = DateTime.fromMillis(r.n as number, { zone });
    expect(end.hour * 60 + end.minute).toBe(endMinute);
    expect(launchesOf('w-1')).toHaveLength(0);
  });

  it('when the instance cannot serve sessions (state store down), then due launches wait, unclaimed, and go once it can', async () => {
    let up = false;
    const { campaigns, logs } = await open({ launchRate: 50 }, { canServe: () => up });
    const id = await create(campaigns, [{ id: 'h-1' }, { id: 'h-2' }]);
    await waitFor(() => logs().some((l) => l.code === 'CAMPAIGN_LAUNCHES_HELD'), 'launches held');
    // Held for a while: the jobs came due, were taken and put back, and nobody was called.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(launchesOf('h-1')).toHaveLength(0);
    for (const r of ['h-1', 'h-2']) {
      expect((await record(campaigns, id, r))?.s).toBe('scheduled');
      const job = await campaigns.dispatcher.launches.getJob(launchJobId(id, r, 1));
      expect(job?.attemptsMade ?? 0).toBe(0);
    }
    up = true;
    await settled(campaigns, id, 'h-1', 'launched');
    await settled(campaigns, id, 'h-2', 'launched');
    expect(launchesOf('h-1').map((l) => l.p.attempt)).toEqual(['1']);
    expect(launchesOf('h-2').map((l) => l.p.attempt)).toEqual(['1']);
    const codes = logs().flatMap((l) =>
      typeof l.code === 'string' && l.code.startsWith('CAMPAIGN_LAUNCHES') ? [l.code] : [],
    );
    expect(codes).toEqual(['CAMPAIGN_LAUNCHES_HELD', 'CAMPAIGN_LAUNCHES_RESUMED']);
  });

  it('when Tropo refuses, then the attempt is failed and retried; when it never answers, then unknown and never retried', async () => {
    const { campaigns, logs } = await open({ launchRate: 50, attempts: 2, retryDelaySeconds: 0 });
    const id = await create(campaigns, [
      { id: 'f-1', number: '+14075559999' },
      { id: 'u-1', number: '+14075558888' },
    ]);
    expect(await settled(campaigns, id, 'f-1', 'failed')).toMatchObject({ a: 2, o: 'failed' });
    expect(launchesOf('f-1')).toHaveLength(2);
    expect(await settled(campaigns, id, 'u-1', 'unknown')).toMatchObject({ a: 1, o: 'unknown' });
    expect(launchesOf('u-1')).toHaveLength(1);
    expect(logs().some((l) => l.msg === 'campaign launch refused')).toBe(true);
    expect(JSON.stringify(logs())).not.toContain(TOKEN);
  });

  it('when a launched call reports nothing within the outcome timeout, then unknown; a late report still counts', async () => {
    const { campaigns } = await open(
      { launchRate: 50, outcomeTimeoutSeconds: 1 },
      { launchMarginMs: 100 },
    );
    const id = await create(campaigns, [{ id: 't-1' }]);
    const ref = await launched(campaigns, 't-1', 1);
    expect(await settled(campaigns, id, 't-1', 'unknown')).toMatchObject({
      a: 1,
      o: 'unknown',
      l: 's-t-1-1',
    });
    expect(await campaigns.report(ref, 'confirmed')).toBe(true);
    expect(await record(campaigns, id, 't-1')).toMatchObject({ s: 'confirmed' });
  });

  it('when two instances dispatch one campaign and its jobs are added again, then each attempt launches once and the rate holds across both', async () => {
    const a = await open({ launchRate: 10 });
    const b = await open({ launchRate: 10 }, { db: db - 1 });
    const ids = Array.from({ length: 24 }, (_, i) => `m-${i}`);
    const id = await create(
      a.campaigns,
      ids.map((r) => ({ id: r })),
    );
    // The same attempts queued again (a re-posted campaign, a job re-run): BullMQ or the claim refuses.
    await b.campaigns.dispatcher.schedule(
      id,
      ids.map((r) => ({ r, a: 1, at: Date.now() })),
    );
    await waitFor(
      async () => (await a.campaigns.store.summary(id))?.counts.launched === 24,
      'all launched',
      20_000,
    );
    await a.campaigns.dispatcher.schedule(
      id,
      ids.map((r) => ({ r, a: 1, at: Date.now() })),
    );
    await waitFor(
      async () =>
        (
          await a.campaigns.dispatcher.launches.getJobCounts(
            'wait',
            'delayed',
            'active',
            'prioritized',
          )
        ).wait === 0,
      'queue drained',
    );
    await waitFor(
      async () =>
        Object.values(
          await a.campaigns.dispatcher.launches.getJobCounts(
            'wait',
            'delayed',
            'active',
            'prioritized',
          ),
        ).every((n) => n === 0),
      'queue empty',
    );
    for (const r of ids) expect(launchesOf(r)).toHaveLength(1);
    expect(busiestSecond(calls)).toBeLessThanOrEqual(11);
  });

  it('when an attempt is claimed twice (a job re-run after its worker died), then the second finds it launching and makes it unknown', async () => {
    const { campaigns } = await open({}, { dispatch: false });
    const id = await create(campaigns, [{ id: 'k-1', at: '2099-01-01T00:00:00Z' }]);
    expect((await campaigns.store.claim(id, 'k-1', 1)).kind).toBe('claimed');
    expect(await campaigns.store.claim(id, 'k-1', 1)).toMatchObject({
      kind: 'unknown',
      record: { s: 'unknown', a: 1 },
    });
    expect((await campaigns.store.claim(id, 'k-1', 1)).kind).toBe('taken');
    expect(await campaigns.store.summary(id)).toMatchObject({
      counts: { unknown: 1 },
      launches: 1,
    });
  });

  it('when a campaign is cancelled, then nothing more launches and launched reminders keep their status', async () => {
    const { campaigns } = await open({ launchRate: 50 });
    const id = await create(campaigns, [
      { id: 'n-1' },
      { id: 'n-2', at: '2099-01-01T00:00:00Z' },
      { id: 'n-3', at: '2099-01-01T00:00:00Z' },
    ]);
    await settled(campaigns, id, 'n-1', 'launched');
    const answer = await campaigns.service.cancel(id);
    expect(answer.body).toMatchObject({
      state: 'cancelled',
      cancelled: 2,
      counts: { launched: 1, cancelled: 2 },
    });
    expect(await campaigns.dispatcher.launches.getJob(launchJobId(id, 'n-2', 1))).toBeUndefined();
    // A busy outcome after the cancel is final: no retry of a cancelled campaign.
    await campaigns.report(await launched(campaigns, 'n-1', 1), 'busy');
    expect(await record(campaigns, id, 'n-1')).toMatchObject({ s: 'busy', a: 1 });
    expect(launches).toHaveLength(1);
  });

  it('when reminders launch, then the metrics count launches by app and result, reminders by status and queue jobs', async () => {
    const metrics = createCampaignMetrics(['appointment-reminder']);
    const { campaigns } = await open({ launchRate: 50 }, { observer: metrics.observer });
    metrics.attach(campaigns);
    const id = await create(campaigns, [
      { id: 'g-1' },
      { id: 'g-2', number: '+14075559999' },
      { id: 'g-3', at: '2099-01-01T00:00:00Z' },
    ]);
    await settled(campaigns, id, 'g-1', 'launched');
    await settled(campaigns, id, 'g-2', 'scheduled'); // refused, retry queued
    await waitFor(() => launchesOf('g-2').length === 1, 'g-2 refused');
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'tropo_campaign_launches_total{app="appointment-reminder",result="launched"} 1',
    );
    expect(text).toContain(
      'tropo_campaign_launches_total{app="appointment-reminder",result="failed"} 1',
    );
    expect(text).toContain('tropo_campaign_reminders{status="launched"} 1');
    expect(text).toContain('tropo_campaign_reminders{status="scheduled"} 2');
    expect(text).toMatch(/tropo_campaign_queue_jobs\{state="delayed"\} [12]/);
    expect(text).toMatch(/^tropo_campaign_queue_lag_seconds \d/m);
  });
});
