import {
  campaignState,
  OUTCOMES,
  PENDING,
  REMINDER_STATUSES,
  reminderView,
  RETRYABLE,
} from '../../../src/campaigns/model';
import type { CampaignOutcome } from '../../../src/sdk';

describe('the campaign model', () => {
  it('when the SDK names the outcomes, then the dispatcher records exactly those, each a status', () => {
    const sdk: Record<CampaignOutcome, true> = {
      answered: true,
      confirmed: true,
      declined: true,
      sent: true,
      'no-answer': true,
      busy: true,
      failed: true,
    };
    expect([...OUTCOMES].sort()).toEqual(Object.keys(sdk).sort());
    for (const o of OUTCOMES) expect(REMINDER_STATUSES).toContain(o);
    expect([...RETRYABLE].sort()).toEqual(['busy', 'failed', 'no-answer']);
  });

  it('when counts are given, then the campaign state follows: scheduled, running, done, cancelled', () => {
    expect(campaignState(false, { scheduled: 3 }, 0)).toBe('scheduled');
    expect(campaignState(false, { scheduled: 2, launched: 1 }, 1)).toBe('running');
    // A retry waiting is still a running campaign.
    expect(campaignState(false, { scheduled: 1, confirmed: 2 }, 4)).toBe('running');
    expect(campaignState(false, { confirmed: 2, busy: 1 }, 5)).toBe('done');
    expect(campaignState(true, { scheduled: 2 }, 0)).toBe('cancelled');
    expect([...PENDING]).toEqual(['scheduled', 'launching', 'launched']);
  });

  it('when a record is shown, then times are ISO and the short keys become the contract names', () => {
    const view = reminderView('r-1', {
      s: 'scheduled',
      a: 1,
      n: Date.parse('2026-12-04T14:30:00Z'),
      l: 'sess-1',
      o: 'busy',
      u: Date.parse('2026-12-04T14:20:00Z'),
      z: 'America/New_York',
      p: { numberToDial: '+14075551212' },
    });
    expect(view).toEqual({
      id: 'r-1',
      status: 'scheduled',
      attempts: 1,
      nextAttemptAt: '2026-12-04T14:30:00.000Z',
      lastSessionId: 'sess-1',
      outcome: 'busy',
      updatedAt: '2026-12-04T14:20:00.000Z',
    });
  });
});
