import request from 'supertest';
import type { Campaigns } from '../../src/campaigns';
import { flushDb, openTestCampaigns, redisDb } from '../helpers/campaigns';
import { useTestRedis, type TestRedis } from '../helpers/redis-server';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'tok-outcomes-0123456789abcdef0123456789abcdef0123456789';
type Body = { session: { id: string; parameters: Record<string, string> } };
type ResultBody = { result: Record<string, unknown> };

describe('campaign outcomes from the apps (ctx.outcome through the pipeline, real Redis)', () => {
  let redis: TestRedis;
  let campaigns: Campaigns;
  let t: TestApp;
  /** The parameters each launch carried, by reminder id. */
  const launched = new Map<string, Record<string, string>>();
  let sessions = 0;

  beforeAll(async () => {
    redis = await useTestRedis();
    const url = redisDb(redis.url, 15);
    await flushDb(url);
    ({ campaigns } = await openTestCampaigns({
      url,
      dispatch: true,
      settings: { launchRate: 100, retryDelaySeconds: 3600 },
      launch: (_app, parameters) => {
        launched.set(parameters.reminder as string, parameters);
        sessions += 1;
        return Promise.resolve({ id: `sess-${sessions}`, dryRun: false });
      },
    }));
    t = buildTestApp({ REDIS_URL: url }, { campaigns });
  });
  afterAll(async () => {
    await t.close();
    await campaigns.close();
    await redis.release();
  });

  /** Creates a one-reminder campaign and waits for its launch; returns the campaign id and the launch parameters. */
  async function launch(app: string, id: string, parameters: Record<string, string>) {
    const answer = await campaigns.service.create({
      kind: 'json',
      body: { app, reminders: [{ id, at: '2020-01-01T00:00:00Z', parameters }] },
      query: {},
      idempotencyKey: undefined,
    });
    const campaign = (answer.body as { id: string }).id;
    await waitFor(
      async () => (await campaigns.store.reminder(campaign, id))?.s === 'launched',
      `${id} launched`,
    );
    return { campaign, parameters: launched.get(id) as Record<string, string> };
  }

  /** The session Tropo would POST for that launch (the token added, as Tropo passes it on). */
  function session(sessionId: string, parameters: Record<string, string>): Body {
    const body = fixture<Body>('requests/reminder-confirm-session.json');
    body.session.id = sessionId;
    body.session.parameters = { token: TOKEN, action: 'create', ...parameters };
    return body;
  }
  function result(sessionId: string, file: string, over: Record<string, unknown> = {}): ResultBody {
    const body = fixture<ResultBody>(`requests/${file}`);
    body.result = { ...body.result, sessionId, ...over };
    return body;
  }
  const status = async (campaign: string, id: string) =>
    (await campaigns.store.reminder(campaign, id))?.s;
  const reminderParams = {
    numberToDial: '+14075551212',
    msg: 'Your appointment is at 10',
    confirm: 'true',
  };

  it('when the callee presses 1, then the reminder is confirmed; 2, then declined', async () => {
    for (const [id, file, outcome] of [
      ['o-1', 'confirm-pressed-1-result.json', 'confirmed'],
      ['o-2', 'confirm-pressed-2-result.json', 'declined'],
    ] as const) {
      const { campaign, parameters } = await launch('appointment-reminder', id, reminderParams);
      const sid = `sid${id}`;
      const start = await request(t.app).post('/start').send(session(sid, parameters)).expect(200);
      expect(start.body.tropo.some((v: Record<string, unknown>) => 'ask' in v)).toBe(true);
      await request(t.app)
        .post('/apps/appointment-reminder/on/confirm')
        .send(result(sid, file))
        .expect(200);
      expect(await status(campaign, id)).toBe(outcome);
    }
  });

  it('when the message is heard with nothing asked, then answered', async () => {
    const { campaign, parameters } = await launch('appointment-reminder', 'o-3', {
      numberToDial: '+14075551212',
      msg: 'Hi',
    });
    const start = await request(t.app)
      .post('/start')
      .send(session('sid-o-3', parameters))
      .expect(200);
    const ons = start.body.tropo
      .filter((v: Record<string, unknown>) => 'on' in v)
      .map((v: { on: { event: string; next: string } }) => v.on);
    expect(ons).toEqual([
      { event: 'continue', next: '/apps/appointment-reminder/on/heard' },
      { event: 'incomplete', next: '/apps/appointment-reminder/on/incomplete' },
    ]);
    const heard = await request(t.app)
      .post('/apps/appointment-reminder/on/heard')
      .send(result('sid-o-3', 'confirm-timeout-result.json', { actions: [] }))
      .expect(200);
    expect(heard.body).toEqual({ tropo: [{ hangup: {} }] });
    expect(await status(campaign, 'o-3')).toBe('answered');
  });

  it('when the call itself fails busy, then busy is reported and the next attempt scheduled', async () => {
    const { campaign, parameters } = await launch('appointment-reminder', 'o-4', reminderParams);
    await request(t.app).post('/start').send(session('sid-o-4', parameters)).expect(200);
    const failed = result('sid-o-4', 'confirm-timeout-result.json', {
      state: 'FAILED',
      actions: { disposition: 'BUSY', duration: 20, connectedDuration: 0 },
    });
    const res = await request(t.app)
      .post('/apps/appointment-reminder/on/incomplete')
      .send(failed)
      .expect(200);
    expect(res.body).toEqual({ tropo: [{ hangup: {} }] });
    expect(await campaigns.store.reminder(campaign, 'o-4')).toMatchObject({
      s: 'scheduled',
      o: 'busy',
      a: 1,
    });
  });

  it('when the reference is forged, then the app runs as for any launch and nothing is reported', async () => {
    const { campaign, parameters } = await launch('appointment-reminder', 'o-5', {
      numberToDial: '+14075551212',
      msg: 'Hi',
    });
    const forged = { ...parameters, campaignRef: `${parameters.campaignRef?.slice(0, -2)}xx` };
    const start = await request(t.app).post('/start').send(session('sid-o-5', forged)).expect(200);
    // The document of a launch not made by a campaign, the same as one with no reference at all.
    const references = new Set(['campaign', 'reminder', 'attempt', 'campaignRef']);
    const plain = Object.fromEntries(Object.entries(forged).filter(([k]) => !references.has(k)));
    const unreferenced = await request(t.app)
      .post('/start')
      .send(session('sid-o-5-plain', plain))
      .expect(200);
    expect(start.body).toEqual(unreferenced.body);
    await request(t.app)
      .post('/apps/appointment-reminder/on/incomplete')
      .send(result('sid-o-5', 'confirm-timeout-result.json'))
      .expect(200);
    expect(await status(campaign, 'o-5')).toBe('launched');
  });

  it('when sms-relay is launched by a campaign, then it reports sent', async () => {
    const { campaign, parameters } = await launch('sms-relay', 's-1', {
      numberToDial: '+14075551212',
      msg: 'Your appointment is at 10',
    });
    const body = fixture<Body>('requests/sms-relay-session.json');
    body.session.id = 'sid-s-1';
    body.session.parameters = { token: TOKEN, action: 'create', ...parameters };
    const res = await request(t.app).post('/start').send(body).expect(200);
    expect(JSON.stringify(res.body)).toContain('Your appointment is at 10');
    expect(await status(campaign, 's-1')).toBe('sent');
    expect(t.rawLogs()).not.toContain(TOKEN);
  });

  it('when the server cannot reach its state store when a campaign call starts, then the attempt is failed and tried again, not left unknown', async () => {
    const { campaign, parameters } = await launch('appointment-reminder', 'o-6', reminderParams);
    // A state store on a port nothing listens on: Redis down, as this server sees it.
    const down = buildTestApp({ REDIS_URL: 'redis://127.0.0.1:9' }, { campaigns });
    try {
      const start = await request(down.app).post('/start').send(session('sid-o-6', parameters));
      expect(start.status).toBe(200);
      expect(start.headers['x-error-id']).toEqual(expect.any(String));
      await waitFor(
        async () => (await campaigns.store.reminder(campaign, 'o-6'))?.o === 'failed',
        'o-6 failed',
      );
      expect(await campaigns.store.reminder(campaign, 'o-6')).toMatchObject({
        s: 'scheduled',
        o: 'failed',
        a: 1,
      });
    } finally {
      await down.close();
    }
  });
});
