/**
 * End to end, campaigns (issue #13): 200 reminders over 2 real server processes sharing a real
 * Redis, launched at 50/s through a real fake-tropo where 10% of numbers are busy, 10% do not
 * answer and the rest press 1. Every reminder ends in its outcome, each number is dialled once per
 * attempt, the pacing holds, and the server's counts are what fake-tropo saw. The CLI reads it too.
 */
import { runCli } from '../../src/cli/index';
import { outcomeFor, type FakeTropoLaunch } from '../../src/simulator';
import {
  attemptsLaunched,
  busiestSecond,
  reminders,
  startCampaignWorld,
  type CampaignBody,
  type CampaignWorld,
} from '../helpers/campaign-world';
import { memoryIO } from '../helpers/memory-io';
import { PLANTED } from '../helpers/secret-scan';

const RATE = 50;
const REMINDERS = 200;
const ATTEMPTS = 3;
const SHARES = { busy: 0.1, 'no-answer': 0.1 };
/** The final status a reminder must reach, from what its number does. */
const EXPECTED = { busy: 'busy', 'no-answer': 'no-answer', answer: 'confirmed' } as const;

jest.setTimeout(120_000);

let world: CampaignWorld;
let campaign: CampaignBody;
let launches: FakeTropoLaunch[];
const list = reminders(REMINDERS);
const numberOf = new Map(
  list.map((r) => [r.id as string, (r.parameters as { numberToDial: string }).numberToDial]),
);

beforeAll(async () => {
  world = await startCampaignWorld({
    instances: 2,
    rate: RATE,
    outcomes: { shares: SHARES },
    inputs: ['1'],
    env: { CAMPAIGN_ATTEMPTS: String(ATTEMPTS), CAMPAIGN_RETRY_DELAY_SECONDS: '1' },
  });
  const created = await world.api('POST', '/api/campaigns', {
    app: 'appointment-reminder',
    name: 'Friday clinic',
    reminders: list,
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ accepted: REMINDERS });
  const id = (created.body as { id: string }).id;
  campaign = await world.done(id, 90_000);
  launches = (await world.launches()).filter((l) => l.parameters.campaign === id);
}, 150_000);

afterAll(async () => {
  await world?.close();
});

describe('a campaign of 200 reminders over 2 instances', () => {
  it('when it is done, then every reminder has the outcome its number leads to', () => {
    expect(campaign.state).toBe('done');
    expect(campaign.reminders).toHaveLength(REMINDERS);
    const wrong = campaign.reminders.flatMap((r) => {
      const meets = outcomeFor(numberOf.get(r.id), { shares: SHARES }) ?? 'answer';
      const attempts = meets === 'answer' ? 1 : ATTEMPTS;
      const ok = r.status === EXPECTED[meets] && r.attempts === attempts;
      return ok
        ? []
        : [
            `${r.id}: ${r.status} after ${r.attempts}, expected ${EXPECTED[meets]} after ${attempts}`,
          ];
    });
    expect(wrong).toEqual([]);
  });

  it('when fake-tropo counts the dials, then each number was dialled once per attempt and no attempt twice', () => {
    const doubles = [...attemptsLaunched(launches)].filter(([, n]) => n > 1);
    expect(doubles).toEqual([]);
    const byNumber = new Map<string, number>();
    for (const l of launches) {
      const n = l.parameters.numberToDial ?? '';
      byNumber.set(n, (byNumber.get(n) ?? 0) + 1);
    }
    const mismatched = campaign.reminders
      .filter((r) => byNumber.get(numberOf.get(r.id) ?? '') !== r.attempts)
      .map(
        (r) =>
          `${r.id}: ${byNumber.get(numberOf.get(r.id) ?? '') ?? 0} dials, ${r.attempts} attempts`,
      );
    expect(mismatched).toEqual([]);
    expect(launches.every((l) => !('token' in l.parameters))).toBe(true);
  });

  it('when launches are timed on arrival, then no two-second window holds more than twice the rate + 1', () => {
    // Timed where fake-tropo receives them, a stall of a loaded machine bunches a few launches
    // into one second (seen: 54 at 50/s); over two seconds the pacing still shows, and a broken
    // limiter (200 at once) fails at once. The one-second bound on what the dispatcher sends is
    // held by test/integration/campaigns-dispatch.test.ts.
    expect(busiestSecond(launches, 2000)).toBeLessThanOrEqual(2 * RATE + 1);
  });

  it("when the server's counts are compared, then they equal what fake-tropo saw", () => {
    const lastOutcome = new Map<string, string>();
    for (const l of launches) lastOutcome.set(l.parameters.reminder ?? '', l.callOutcome);
    const seen: Record<string, number> = {};
    for (const outcome of lastOutcome.values()) {
      const status = EXPECTED[outcome as keyof typeof EXPECTED];
      seen[status] = (seen[status] ?? 0) + 1;
    }
    const counts = Object.fromEntries(Object.entries(campaign.counts).filter(([, n]) => n > 0));
    expect(counts).toEqual(seen);
    expect(lastOutcome.size).toBe(REMINDERS);
    const attempts = campaign.reminders.reduce((sum, r) => sum + r.attempts, 0);
    expect(launches).toHaveLength(attempts);
    // The shares are the ones asked for, give or take what 200 numbers allow.
    expect(seen.busy ?? 0).toBeGreaterThan(8);
    expect(seen['no-answer'] ?? 0).toBeGreaterThan(8);
  });

  it('when the CLI asks, then status, list and report describe the same campaign', async () => {
    const server = world.instances[0]?.url ?? '';
    const io = memoryIO({ env: { API_KEY: PLANTED.apiKey } });
    await expect(runCli(['campaign', 'status', campaign.id, '--server', server], io)).resolves.toBe(
      0,
    );
    expect(io.out()).toContain(
      `${campaign.id} "Friday clinic" (appointment-reminder) done, 200/200`,
    );
    const listed = memoryIO({ env: { API_KEY: PLANTED.apiKey } });
    await expect(runCli(['campaign', 'list', '--server', server], listed)).resolves.toBe(0);
    expect(listed.out()).toContain(campaign.id);
    const report = memoryIO({ env: { API_KEY: PLANTED.apiKey } });
    await expect(
      runCli(['campaign', 'report', campaign.id, '--server', server], report),
    ).resolves.toBe(0);
    const rows = report.out().trim().split('\n');
    expect(rows).toHaveLength(REMINDERS + 1);
    expect(rows[0]).toMatch(/^id,/);
    expect(io.out() + listed.out() + report.out()).not.toContain(PLANTED.apiKey);
  });
});
