import { z } from 'zod';
import { importCsv, importJson, type ImportOptions } from '../../../src/campaigns/import';
import { phoneNumber } from '../../../src/sdk';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const reminderParams = z.object({
  numberToDial: phoneNumber,
  msg: z.string().min(1, 'is required'),
  confirm: z.enum(['true', 'false']).optional(),
});
const options: ImportOptions = {
  lookupApp: (name) =>
    name === 'reminder' ? { params: reminderParams } : name === 'bare' ? {} : undefined,
  defaultTimeZone: 'UTC',
  maxReminders: 5,
  now: NOW,
};
const row = (over: Record<string, unknown> = {}) => ({
  id: 'r-001',
  at: '2026-12-04T09:30:00',
  timeZone: 'America/New_York',
  parameters: { numberToDial: '+14075551212', msg: 'Your appointment is at 10', confirm: 'true' },
  ...over,
});

describe('campaign import (JSON)', () => {
  it('when every row is good, then the campaign holds each with its instant and string parameters', async () => {
    const result = await importJson(
      {
        app: 'reminder',
        name: 'Friday clinic',
        reminders: [
          row(),
          row({
            id: 'r-002',
            at: '2026-12-04T10:00:00Z',
            timeZone: undefined,
            parameters: { numberToDial: '4075551213', msg: 'x', confirm: false },
          }),
        ],
      },
      options,
    );
    expect(result).toEqual({
      ok: true,
      campaign: {
        app: 'reminder',
        name: 'Friday clinic',
        reminders: [
          {
            id: 'r-001',
            dueAt: Date.parse('2026-12-04T14:30:00Z'),
            timeZone: 'America/New_York',
            parameters: {
              numberToDial: '+14075551212',
              msg: 'Your appointment is at 10',
              confirm: 'true',
            },
          },
          {
            id: 'r-002',
            dueAt: Date.parse('2026-12-04T10:00:00Z'),
            timeZone: 'UTC',
            parameters: { numberToDial: '4075551213', msg: 'x', confirm: 'false' },
          },
        ],
      },
    });
  });

  it('when `at` is in the past, then the reminder is due now', async () => {
    const result = await importJson(
      { app: 'reminder', reminders: [row({ at: '2020-01-01T00:00:00Z' })] },
      options,
    );
    expect(result.ok && result.campaign.reminders[0]?.dueAt).toBe(NOW);
  });

  it.each([
    ['id', row({ id: undefined }), 'id'],
    ['id alphabet', row({ id: 'r 1/2' }), 'id'],
    ['at missing', row({ at: undefined }), 'at'],
    ['at unreadable', row({ at: 'next friday' }), 'at'],
    ['timeZone', row({ timeZone: 'Mars/Olympus' }), 'timeZone'],
    [
      'number',
      row({ parameters: { numberToDial: 'call me', msg: 'x' } }),
      'parameters.numberToDial',
    ],
    ['param missing', row({ parameters: { numberToDial: '+14075551212' } }), 'parameters.msg'],
    [
      'param enum',
      row({ parameters: { numberToDial: '+14075551212', msg: 'x', confirm: 'maybe' } }),
      'parameters.confirm',
    ],
    [
      'reserved',
      row({ parameters: { numberToDial: '+14075551212', msg: 'x', campaignRef: 'forged' } }),
      'parameters.campaignRef',
    ],
    ['parameters shape', row({ parameters: { numberToDial: ['+1'] } }), 'parameters.numberToDial'],
  ])(
    'when the %s is wrong in row 2, then CAMPAIGN_INVALID names row 2 and the path',
    async (_what, bad, path) => {
      const result = await importJson(
        {
          app: 'reminder',
          reminders: [row({ id: 'ok-1' }), bad],
        },
        options,
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues.every((i) => i.row === 2)).toBe(true);
      expect(result.issues.map((i) => i.path)).toContain(path);
    },
  );

  it('when ids repeat, then the repeat names the first row', async () => {
    const result = await importJson(
      { app: 'reminder', reminders: [row(), row(), row({ id: 'r-003' }), row()] },
      options,
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { row: 2, id: 'r-001', path: 'id', message: 'repeats the id of row 1' },
        { row: 4, id: 'r-001', path: 'id', message: 'repeats the id of row 1' },
      ],
    });
  });

  it('when the app is unknown or the body is not a campaign, then nothing passes', async () => {
    const unknown = await importJson({ app: 'nope', reminders: [row()] }, options);
    expect(unknown).toEqual({
      ok: false,
      issues: [{ row: 0, path: 'app', message: 'must be the name of a registered app' }],
    });
    const empty = await importJson({ app: 'reminder', reminders: [] }, options);
    expect(empty.ok).toBe(false);
    expect((await importJson('text', options)).ok).toBe(false);
  });

  it('when an app has no params schema, then numberToDial is still checked as a number', async () => {
    const result = await importJson(
      { app: 'bare', reminders: [row({ parameters: { numberToDial: 'nobody' } })] },
      options,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.path).toBe('parameters.numberToDial');
  });

  it('when there are more reminders than the limit, then it is refused as too many', async () => {
    const reminders = Array.from({ length: 6 }, (_, i) => row({ id: `r-${i}` }));
    const result = await importJson({ app: 'reminder', reminders }, options);
    expect(result).toMatchObject({ ok: false, tooMany: true });
  });

  it('when many rows are bad, then the issues are capped with a count of the rest', async () => {
    const reminders = Array.from({ length: 5 }, (_, i) => row({ id: `r-${i}`, at: 'bad' }));
    const result = await importJson({ app: 'reminder', reminders }, { ...options, maxIssues: 2 });
    expect(!result.ok && result.issues.map((i) => i.row)).toEqual([1, 2, 0]);
    expect(!result.ok && result.issues[2]?.message).toBe('and 3 more issues');
  });
});

describe('campaign import (CSV)', () => {
  const header = 'id,at,timeZone,numberToDial,msg,confirm';

  it('when the CSV is good, then the other columns become parameters and blank cells are absent', async () => {
    const csv = `\uFEFF${header}\nr-1,2026-12-04T09:30:00,America/New_York,+14075551212,"Hello, you",true\n\nr-2,2026-12-04T09:30:00Z,,4075551213,Bye,\n`;
    const result = await importCsv(csv, { app: 'reminder', name: 'Clinic' }, options);
    expect(result).toEqual({
      ok: true,
      campaign: {
        app: 'reminder',
        name: 'Clinic',
        reminders: [
          {
            id: 'r-1',
            dueAt: Date.parse('2026-12-04T14:30:00Z'),
            timeZone: 'America/New_York',
            parameters: { numberToDial: '+14075551212', msg: 'Hello, you', confirm: 'true' },
          },
          {
            id: 'r-2',
            dueAt: Date.parse('2026-12-04T09:30:00Z'),
            timeZone: 'UTC',
            parameters: { numberToDial: '4075551213', msg: 'Bye' },
          },
        ],
      },
    });
  });

  it('when rows are bad, then each issue names its 1-based data row and id', async () => {
    const csv = `${header}\nr-1,2026-12-04T09:30:00,UTC,+14075551212,Hi,\nr-2,2026-12-04T09:30:00,UTC,not-a-number,Hi,\nr-3,soon,UTC,+14075551212,Hi,\nr-4,2026-12-04T09:30:00,UTC,+14075551212\n`;
    const result = await importCsv(csv, { app: 'reminder' }, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(({ row, id, path }) => ({ row, id, path }))).toEqual([
      { row: 2, id: 'r-2', path: 'parameters.numberToDial' },
      { row: 3, id: 'r-3', path: 'at' },
      { row: 4, id: 'r-4', path: '(row)' },
    ]);
  });

  it('when the header lacks id or at, or the app is not given, then the campaign is refused', async () => {
    const noAt = await importCsv(
      'id,numberToDial\nr-1,+14075551212\n',
      { app: 'reminder' },
      options,
    );
    expect(!noAt.ok && noAt.issues).toEqual([
      { row: 0, path: '(header).at', message: 'is a required column' },
    ]);
    const noApp = await importCsv(`${header}\n`, {}, options);
    expect(!noApp.ok && noApp.issues[0]?.path).toBe('app');
  });

  it('when the CSV cannot be parsed, then the issue says so', async () => {
    const result = await importCsv(
      `${header}\nr-1,"unclosed,UTC,+1,x,\n`,
      { app: 'reminder' },
      options,
    );
    expect(!result.ok && result.issues[0]?.path).toBe('(csv)');
  });

  it('when the CSV has more data rows than the limit, then it is refused as too many', async () => {
    const rows = Array.from(
      { length: 6 },
      (_, i) => `r-${i},2026-12-04T09:30:00Z,UTC,+14075551212,Hi,`,
    );
    expect(
      await importCsv([header, ...rows].join('\n'), { app: 'reminder' }, options),
    ).toMatchObject({
      ok: false,
      tooMany: true,
    });
  });
});
