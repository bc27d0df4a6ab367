/** Tests for campaign launches in the simulator: the per-run reference signer and reporter, the outcome lines in the transcript, and `expect.outcome`. */
import { refSigner } from '../../../src/campaigns/refs';
import type { CampaignOutcome } from '../../../src/sdk/define-app';
import { simulatedCampaigns } from '../../../src/simulator/campaign-launch';
import { simulate, type HttpOutcome, type PostJson, type Transcript } from '../../../src/simulator';
import { checkExpectations, scenarioSchema } from '../../../src/simulator/scenarios';

describe('simulated campaigns', () => {
  it('when a launch is made, then its parameters verify and its reports are kept for it alone', async () => {
    const campaigns = simulatedCampaigns();
    const a = campaigns.launch();
    const b = campaigns.launch();
    const ref = campaigns.reporter.verify(a.parameters);
    expect(ref).toEqual({ campaign: 'simulated', reminder: a.parameters.reminder, attempt: 1 });
    expect(a.secret).toBe(a.parameters.campaignRef);
    await expect(campaigns.reporter.report(ref!, 'confirmed')).resolves.toBe(true);
    expect(b.take()).toEqual([]);
    expect(a.take()).toEqual([{ outcome: 'confirmed', recorded: true }]);
    expect(a.take()).toEqual([]); // taken once
  });

  it('when an attempt reports twice, then the second is kept but not recorded, as a campaign would', async () => {
    const campaigns = simulatedCampaigns();
    const launch = campaigns.launch();
    const ref = campaigns.reporter.verify(launch.parameters)!;
    await campaigns.reporter.report(ref, 'answered');
    await expect(campaigns.reporter.report(ref, 'confirmed')).resolves.toBe(false);
    expect(launch.take()).toEqual([
      { outcome: 'answered', recorded: true },
      { outcome: 'confirmed', recorded: false },
    ]);
  });

  it('when a reference was signed with another secret or altered, then it does not verify', () => {
    const campaigns = simulatedCampaigns();
    const launch = campaigns.launch();
    const forged = refSigner('another-secret').parameters({
      campaign: 'simulated',
      reminder: launch.parameters.reminder ?? '',
      attempt: 1,
    });
    expect(campaigns.reporter.verify(forged)).toBeUndefined();
    expect(campaigns.reporter.verify({ ...launch.parameters, attempt: '2' })).toBeUndefined();
    expect(campaigns.reporter.verify({ numberToDial: '+14075551212' })).toBeUndefined();
  });
});

const ORIGIN = 'http://app.test';
const DOC = (verbs: unknown[]) => JSON.stringify({ tropo: verbs });

/** A reminder-like app over a fake poster: `start` says a line, `done` reports `outcomes`. */
function reportingApp(outcomes: CampaignOutcome[]): {
  post: PostJson;
  take: () => { outcome: string; recorded: boolean }[];
} {
  const queue: { outcome: string; recorded: boolean }[] = [];
  const post: PostJson = (url) => {
    const path = new URL(url).pathname;
    if (path === '/done') {
      outcomes.forEach((outcome, i) => queue.push({ outcome, recorded: i === 0 }));
    }
    const body =
      path === '/start'
        ? DOC([
            { call: { to: '+14075551212' } },
            { say: [{ value: 'Your appointment is tomorrow.' }] },
            { on: { event: 'continue', next: '/done' } },
          ])
        : DOC([{ hangup: null }]);
    const answer: HttpOutcome = {
      ok: true,
      status: 200,
      contentType: 'application/json',
      body,
      truncated: false,
      durationMs: 0,
    };
    return Promise.resolve(answer);
  };
  return { post, take: () => queue.splice(0) };
}

async function play(outcomes: CampaignOutcome[], observe = true): Promise<Transcript> {
  const app = reportingApp(outcomes);
  return simulate({
    startUrl: `${ORIGIN}/start`,
    session: { kind: 'token', token: 'unit-token-0123456789', parameters: { msg: 'hi' } },
    post: app.post,
    ...(observe ? { appOutcomes: app.take } : {}),
  });
}

describe('outcomes in the transcript', () => {
  it('when the app reports during an exchange, then a line shows it there, before the answer', async () => {
    const t = await play(['confirmed']);
    const texts = t.lines.map((l) => l.text);
    const at = texts.indexOf('The app reports outcome: confirmed');
    expect(at).toBeGreaterThan(texts.findIndex((x) => x.startsWith('Tropo POSTs result #1')));
    expect(texts[at + 1]).toMatch(/^The app answers 200: hangup/);
    expect(t.reported).toEqual([
      { at: t.lines[at]?.at, outcome: 'confirmed', recorded: true, line: at },
    ]);
  });

  it('when the app reports twice, then the second is a warning saying a campaign ignores it', async () => {
    const t = await play(['answered', 'confirmed']);
    const second = t.lines.find((l) => l.text.includes('outcome: confirmed'));
    expect(second?.level).toBe('warning');
    expect(second?.text).toMatch(/a campaign ignores \(it keeps the first\)/);
    expect(t.reported?.map((r) => [r.outcome, r.recorded])).toEqual([
      ['answered', true],
      ['confirmed', false],
    ]);
  });

  it('when the session is not observed as a campaign launch, then the transcript has no reported field', async () => {
    const t = await play(['confirmed'], false);
    expect(t).not.toHaveProperty('reported');
    expect(t.lines.some((l) => l.text.includes('outcome'))).toBe(false);
  });
});

/** A scenario checking only `expect.outcome`, launched as a campaign. */
function scenario(outcome: unknown) {
  return scenarioSchema.parse({
    name: 'x',
    app: 'reminder',
    launch: { msg: 'hi' },
    campaign: true,
    expect: { outcome },
  });
}

describe('expect.outcome', () => {
  it.each([
    ['confirmed', ['confirmed']],
    [['confirmed'], ['confirmed']],
    [
      ['answered', 'confirmed'],
      ['answered', 'confirmed'],
    ],
    [[], []],
  ])('when it expects %j and the app reported %j, then it is met', async (want, got) => {
    const t = await play(got as CampaignOutcome[]);
    // Two reports also make a warning: `warnings` says how many are expected.
    const s = scenario(want);
    s.expect.warnings = got.length > 1 ? 1 : 0;
    expect(checkExpectations(s, t)).toBeNull();
  });

  it('when the app reported another outcome, then it fails with expected vs actual at its line', async () => {
    const t = await play(['declined']);
    const unmet = checkExpectations(scenario('confirmed'), t);
    expect(unmet).toMatchObject({
      key: 'expect.outcome',
      expected: '"confirmed"',
      actual: '"declined"',
      line: t.reported?.[0]?.line,
    });
  });

  it('when an outcome is expected and none was reported, then it fails saying so', async () => {
    const unmet = checkExpectations(scenario('confirmed'), await play([]));
    expect(unmet).toMatchObject({
      key: 'expect.outcome',
      actual: 'nothing reported: the app never called ctx.outcome',
    });
  });

  it('when one outcome is expected and the app reported two, then it fails listing both', async () => {
    const unmet = checkExpectations(scenario('answered'), await play(['answered', 'confirmed']));
    expect(unmet).toMatchObject({ key: 'expect.outcome', actual: '"answered", "confirmed"' });
  });

  it('when none is expected and one was reported, then it fails', async () => {
    const unmet = checkExpectations(scenario([]), await play(['answered']));
    expect(unmet).toMatchObject({ expected: 'no outcome reported', actual: '"answered"' });
  });

  it.each([
    [{ expect: { outcome: 'confirmed' } }, /only a campaign launch reports an outcome/],
    [{ campaign: true, launch: undefined }, /a campaign launch needs launch:/],
    [{ expect: { outcome: 'confirm' } }, /expect/],
  ])('when a scenario is inconsistent (%j), then the schema refuses it', (patch, message) => {
    const base = { name: 'x', app: 'reminder', launch: { msg: 'hi' } };
    const parsed = scenarioSchema.safeParse({ ...base, ...patch });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });
});
