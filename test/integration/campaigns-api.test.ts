import request from 'supertest';
import type { Campaigns, CampaignSettings } from '../../src/campaigns';
import { CampaignService } from '../../src/campaigns/service';
import { loadApps } from '../../src/server/registry';
import { flushDb, openTestCampaigns, redisDb } from '../helpers/campaigns';
import { Redis } from 'ioredis';
import { startRedisServer, useTestRedis, type TestRedis } from '../helpers/redis-server';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const API_KEY = 'campaign-key-for-tests-0123456789';
const ENV = { API_KEY, CAMPAIGN_MAX_REMINDERS: '40', CAMPAIGN_MAX_BYTES: '8192' };
const auth = { authorization: `Bearer ${API_KEY}` };
const FUTURE = '2099-12-04T09:30:00';

const reminder = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  at: FUTURE,
  timeZone: 'America/New_York',
  parameters: { numberToDial: '+14075551212', msg: 'Your appointment is at 10', confirm: 'true' },
  ...over,
});
const campaign = (reminders: unknown[]) => ({
  app: 'appointment-reminder',
  name: 'Friday clinic',
  reminders,
});

describe('the campaign API (real Redis, BullMQ)', () => {
  let redis: TestRedis;
  let url: string;
  let campaigns: Campaigns;
  let settings: CampaignSettings;
  let t: TestApp;
  const registry = loadApps();
  const lookup = (name: string) => {
    const app = registry.module(name);
    return app ? { params: app.definition.params } : undefined;
  };

  beforeAll(async () => {
    redis = await useTestRedis();
    url = redisDb(redis.url, 1);
    await flushDb(url);
    ({ campaigns, settings } = await openTestCampaigns({
      url,
      settings: { maxReminders: 40, maxBytes: 8192 },
    }));
    t = buildTestApp(ENV, { campaigns });
  });
  afterAll(async () => {
    await t.close();
    await campaigns.close();
    await redis.release();
  });

  const queued = async () => {
    const counts = await campaigns.dispatcher.launches.getJobCounts(
      'delayed',
      'wait',
      'prioritized',
    );
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/campaigns')
      .set(auth)
      .send(body as object);

  it('when Redis is not configured, then every campaign route answers 503 CAMPAIGNS_NEED_REDIS', async () => {
    const bare = buildTestApp(ENV);
    try {
      for (const res of [
        await request(bare.app).get('/api/campaigns').set(auth),
        await request(bare.app)
          .post('/api/campaigns')
          .set(auth)
          .send(campaign([reminder('a')])),
        await request(bare.app).delete('/api/campaigns/x').set(auth),
      ]) {
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe('CAMPAIGNS_NEED_REDIS');
        expect(res.body.error.message).toMatch(/REDIS_URL/);
      }
    } finally {
      await bare.close();
    }
  });

  it('when the key is missing or wrong, then 401 and nothing is read or created', async () => {
    const before = await queued();
    const res = await request(t.app)
      .post('/api/campaigns')
      .set('authorization', 'Bearer nope')
      .send(campaign([reminder('a')]));
    expect(res.status).toBe(401);
    expect((await request(t.app).get('/api/campaigns')).status).toBe(401);
    expect(await queued()).toBe(before);
  });

  it('when a JSON campaign is posted, then 201 with its id, and GET shows every reminder scheduled', async () => {
    const res = await post(
      campaign([
        reminder('r-001'),
        reminder('r-002', { at: '2099-12-04T09:30:00Z', timeZone: undefined }),
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), accepted: 2 });
    const shown = await request(t.app).get(`/api/campaigns/${res.body.id}`).set(auth);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: res.body.id,
      app: 'appointment-reminder',
      name: 'Friday clinic',
      state: 'scheduled',
      counts: { scheduled: 2 },
    });
    expect(shown.body.reminders).toEqual([
      {
        id: 'r-001',
        status: 'scheduled',
        attempts: 0,
        nextAttemptAt: '2099-12-04T14:30:00.000Z',
        lastSessionId: null,
        outcome: null,
        updatedAt: expect.any(String),
      },
      {
        id: 'r-002',
        status: 'scheduled',
        attempts: 0,
        nextAttemptAt: '2099-12-04T09:30:00.000Z',
        lastSessionId: null,
        outcome: null,
        updatedAt: expect.any(String),
      },
    ]);
    const list = await request(t.app).get('/api/campaigns').set(auth);
    expect(list.body.campaigns).toContainEqual(
      expect.objectContaining({ id: res.body.id, counts: { scheduled: 2 }, total: 2 }),
    );
  });

  it('when a CSV campaign is posted with ?app, then the other columns become parameters', async () => {
    const csv =
      'id,at,timeZone,numberToDial,msg\nc-1,2099-01-01T08:00:00,Europe/London,+442071234567,Hello\nc-2,2099-01-01T08:00:00,Asia/Kolkata,+14075551212,Hi\n';
    const res = await request(t.app)
      .post('/api/campaigns?app=appointment-reminder&name=CSV%20run')
      .set(auth)
      .set('content-type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(2);
    const shown = await request(t.app).get(`/api/campaigns/${res.body.id}`).set(auth);
    expect(shown.body.name).toBe('CSV run');
    expect(shown.body.reminders.map((r: { nextAttemptAt: string }) => r.nextAttemptAt)).toEqual([
      '2099-01-01T08:00:00.000Z',
      '2099-01-01T02:30:00.000Z',
    ]);
  });

  it('when any row is bad, then 400 CAMPAIGN_INVALID lists rows and nothing is created or queued', async () => {
    const listed = (await request(t.app).get('/api/campaigns').set(auth)).body.campaigns.length;
    const before = await queued();
    const res = await post(
      campaign([
        reminder('r-001'),
        reminder('r-002'),
        reminder('r-003', { parameters: { numberToDial: 'not a number', msg: 'x' } }),
        reminder('r-002'),
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CAMPAIGN_INVALID');
    expect(res.body.error.issues).toEqual([
      { row: 3, id: 'r-003', path: 'parameters.numberToDial', message: expect.any(String) },
      { row: 4, id: 'r-002', path: 'id', message: 'repeats the id of row 2' },
    ]);
    expect((await request(t.app).get('/api/campaigns').set(auth)).body.campaigns.length).toBe(
      listed,
    );
    expect(await queued()).toBe(before);
  });

  it('when the same Idempotency-Key is posted twice, then the second answers 200 with the first campaign and queues nothing', async () => {
    const body = campaign([reminder('i-1'), reminder('i-2'), reminder('i-3')]);
    const first = await post(body).set('idempotency-key', 'friday-2099');
    expect(first.status).toBe(201);
    const afterFirst = await queued();
    const again = await post(body).set('idempotency-key', 'friday-2099');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, accepted: 3 });
    expect(await queued()).toBe(afterFirst);
  });

  /** The service over the same store and a dispatcher whose queueing fails, as Redis going away would. */
  function failingToQueue() {
    const dispatcher = Object.create(campaigns.dispatcher) as Campaigns['dispatcher'];
    dispatcher.schedule = () => Promise.reject(new Error('Connection is closed.'));
    return new CampaignService(campaigns.store, dispatcher, settings, lookup);
  }
  const named = async (name: string) =>
    (
      (await request(t.app).get('/api/campaigns').set(auth)).body.campaigns as {
        name: string;
        id: string;
      }[]
    ).filter((c) => c.name === name);

  it('when queueing fails part way with an Idempotency-Key, then a replay of the key finishes that campaign, once', async () => {
    const body = {
      ...campaign([reminder('h-1'), reminder('h-2'), reminder('h-3')]),
      name: 'half made',
    };
    const request1 = { kind: 'json' as const, body, query: {}, idempotencyKey: 'half-made-2099' };
    await expect(failingToQueue().create(request1)).rejects.toThrow('Connection is closed.');
    const [half] = await named('half made');
    expect(half).toBeDefined();
    const before = await queued();
    const again = await post(body).set('idempotency-key', 'half-made-2099');
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ id: half?.id, accepted: 3 });
    expect(await queued()).toBe(before + 3);
    expect(await named('half made')).toHaveLength(1);
    const shown = await request(t.app).get(`/api/campaigns/${half?.id}`).set(auth);
    expect(
      shown.body.reminders.map((r: { id: string; status: string }) => `${r.id} ${r.status}`),
    ).toEqual(['h-1 scheduled', 'h-2 scheduled', 'h-3 scheduled']);
    const third = await post(body).set('idempotency-key', 'half-made-2099');
    expect(third.status).toBe(200);
    expect(await queued()).toBe(before + 3);
  });

  it('when queueing fails without an Idempotency-Key, then nothing of the campaign stays', async () => {
    const body = { ...campaign([reminder('n-1')]), name: 'never made' };
    await expect(
      failingToQueue().create({ kind: 'json', body, query: {}, idempotencyKey: undefined }),
    ).rejects.toThrow('Connection is closed.');
    expect(await named('never made')).toEqual([]);
  });

  it('when there are too many reminders, then 400; when the body is too large, then 413', async () => {
    const many = Array.from({ length: 41 }, (_, i) =>
      reminder(`m-${i}`, { parameters: { numberToDial: '+14075551212', msg: 'x' } }),
    );
    const tooMany = await post(campaign(many));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('CAMPAIGN_TOO_LARGE');
    const huge = await post(
      campaign([
        reminder('h', { parameters: { numberToDial: '+14075551212', msg: 'x'.repeat(9000) } }),
      ]),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('when the body is neither JSON nor CSV, then 400 CAMPAIGN_INVALID', async () => {
    const res = await request(t.app)
      .post('/api/campaigns')
      .set(auth)
      .set('content-type', 'application/xml')
      .send('<campaign/>');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CAMPAIGN_INVALID');
  });

  it('when reminders are paged, then offset and limit pick rows in order; report.csv holds them all', async () => {
    const created = await post(
      campaign(Array.from({ length: 30 }, (_, i) => reminder(`p-${String(i).padStart(2, '0')}`))),
    );
    const page = await request(t.app)
      .get(`/api/campaigns/${created.body.id}?offset=10&limit=5`)
      .set(auth);
    expect(page.body.reminders.map((r: { id: string }) => r.id)).toEqual([
      'p-10',
      'p-11',
      'p-12',
      'p-13',
      'p-14',
    ]);
    expect(
      (await request(t.app).get(`/api/campaigns/${created.body.id}?limit=5000`).set(auth)).status,
    ).toBe(400);
    const report = await request(t.app)
      .get(`/api/campaigns/${created.body.id}/report.csv`)
      .set(auth);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    const lines = report.text.trim().split('\n');
    expect(lines[0]).toBe('id,status,attempts,nextAttemptAt,lastSessionId,outcome,updatedAt');
    expect(lines).toHaveLength(31);
    expect(lines[1]).toMatch(/^p-00,scheduled,0,2099-12-04T14:30:00.000Z,,,/);
  });

  it('when a campaign is cancelled, then what has not launched is cancelled and its jobs are gone', async () => {
    const created = await post(campaign([reminder('x-1'), reminder('x-2')]));
    const before = await queued();
    const res = await request(t.app).delete(`/api/campaigns/${created.body.id}`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'cancelled', counts: { cancelled: 2 }, cancelled: 2 });
    expect(await queued()).toBe(before - 2);
    const shown = await request(t.app).get(`/api/campaigns/${created.body.id}`).set(auth);
    expect(shown.body.reminders.map((r: { status: string }) => r.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });

  it('when an id is unknown, then 404 CAMPAIGN_NOT_FOUND', async () => {
    for (const res of [
      await request(t.app).get('/api/campaigns/0000000000000000').set(auth),
      await request(t.app).get('/api/campaigns/0000000000000000/report.csv').set(auth),
      await request(t.app).delete('/api/campaigns/0000000000000000').set(auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    }
  });
});

describe('the persistence warning at start-up', () => {
  it('when Redis persists nothing, then one warning says so; with AOF on, then none', async () => {
    const server = await startRedisServer();
    try {
      const bare = await openTestCampaigns({ url: server.url });
      await bare.campaigns.close();
      const warned = bare.logs().filter((l) => l.code === 'REDIS_NOT_PERSISTENT');
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({
        level: 'warn',
        msg: expect.stringMatching(/--appendonly yes/),
      });

      const admin = new Redis(server.url);
      await admin.config('SET', 'appendonly', 'yes');
      admin.disconnect();
      const durable = await openTestCampaigns({ url: server.url });
      await durable.campaigns.close();
      expect(durable.logs().filter((l) => l.code === 'REDIS_NOT_PERSISTENT')).toHaveLength(0);
    } finally {
      await server.dispose();
    }
  });
});
