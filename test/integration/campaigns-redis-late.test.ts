/**
 * Campaigns when Redis is not there yet: opening resolves anyway (so the server starts, and
 * /readyz says why it is not ready), the outage is logged once per connection rather than once
 * per reconnect, and campaigns start dispatching as soon as Redis answers.
 */
import request from 'supertest';
import type { Campaigns } from '../../src/campaigns';
import { openTestCampaigns } from '../helpers/campaigns';
import {
  freePort,
  requireRedis,
  startRedisServer,
  type RedisServer,
} from '../helpers/redis-server';
import { buildTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

jest.setTimeout(40_000);

describe('campaigns opened before Redis answers', () => {
  requireRedis('binary');
  let redis: RedisServer | undefined;
  let campaigns: Campaigns | undefined;

  afterAll(async () => {
    await campaigns?.close();
    await redis?.dispose();
  });

  it('when Redis starts later, then opening resolves not ready, says so once, and campaigns dispatch once Redis answers', async () => {
    const port = await freePort();
    const launched: Record<string, string>[] = [];
    const opened = await openTestCampaigns({
      url: `redis://127.0.0.1:${port}`,
      dispatch: true,
      settings: { launchRate: 50 },
      launch: (_app, parameters) => {
        launched.push(parameters);
        return Promise.resolve({ id: `sess-${launched.length}`, dryRun: false });
      },
    });
    campaigns = opened.campaigns;
    expect(campaigns.health()).toEqual({ ready: false, reason: 'campaigns: waiting for Redis' });
    const messages = () => opened.logs().map((l) => String(l.msg));
    expect(opened.logs().filter((l) => l.code === 'CAMPAIGNS_WAITING_FOR_REDIS')).toHaveLength(1);
    // ioredis reconnected many times in those seconds; each connection said it once.
    expect(messages().filter((m) => m.startsWith('campaign Redis unavailable'))).toHaveLength(2);

    // The server runs meanwhile; its readiness says why it is not ready.
    const t = buildTestApp({}, { campaigns });
    try {
      const ready = await request(t.app).get('/readyz').expect(503);
      expect(ready.body).toEqual({ ready: false, reasons: ['campaigns: waiting for Redis'] });
    } finally {
      await t.close();
    }

    redis = await startRedisServer({ port });
    const live = campaigns;
    await waitFor(() => live.health().ready, 'campaigns ready', 20_000);
    expect(opened.logs().filter((l) => l.code === 'CAMPAIGNS_STARTED')).toHaveLength(1);
    await waitFor(
      () => messages().filter((m) => m === 'campaign Redis answers again').length === 2,
      'both connections back, each saying so',
    );

    const answer = await live.service.create({
      kind: 'json',
      body: {
        app: 'appointment-reminder',
        reminders: [
          {
            id: 'late-1',
            at: '2020-01-01T00:00:00Z',
            parameters: { numberToDial: '+14075551212', msg: 'See you at 10' },
          },
        ],
      },
      query: {},
      idempotencyKey: undefined,
    });
    expect(answer.status).toBe(201);
    const id = (answer.body as { id: string }).id;
    await waitFor(
      async () => (await live.store.reminder(id, 'late-1'))?.s === 'launched',
      'late-1 launched',
    );
    expect(launched.map((p) => p.reminder)).toEqual(['late-1']);
    // Signed with the secret loaded late: the session's reference verifies.
    expect(live.verify(launched[0])).toEqual({ campaign: id, reminder: 'late-1', attempt: 1 });
  });
});
