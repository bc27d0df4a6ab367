import { DateTime } from 'luxon';
import {
  afterQuietHours,
  instantOf,
  isTimeZone,
  parseQuietHours,
} from '../../../src/campaigns/time';

const NIGHT = parseQuietHours('21:00-08:00');
const ms = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const iso = (value: number) => new Date(value).toISOString();
const localHour = (value: number, zone: string) =>
  DateTime.fromMillis(value, { zone }).toFormat('HH:mm');

describe('campaign times', () => {
  it('when `at` carries an offset, then that instant is meant whatever the zone', () => {
    expect(instantOf('2026-12-04T09:30:00-05:00', 'Asia/Kolkata')).toEqual({
      ok: true,
      ms: ms('2026-12-04T14:30:00Z'),
    });
    expect(instantOf('2026-12-04T09:30:00Z', 'America/New_York')).toEqual({
      ok: true,
      ms: ms('2026-12-04T09:30:00Z'),
    });
  });

  it('when `at` is local, then it is read in the given zone (winter and summer offsets)', () => {
    expect(instantOf('2026-12-04T09:30:00', 'America/New_York')).toEqual({
      ok: true,
      ms: ms('2026-12-04T14:30:00Z'),
    });
    expect(instantOf('2026-07-04T09:30', 'America/New_York')).toEqual({
      ok: true,
      ms: ms('2026-07-04T13:30:00Z'),
    });
  });

  it('when `at` is not a time, then the reason says so', () => {
    for (const bad of ['tomorrow', '2026-13-01T09:00:00', '2026-02-30T09:00', '']) {
      const result = instantOf(bad, 'UTC');
      expect(result.ok).toBe(false);
    }
  });

  it('when a zone is named, then only IANA zones pass', () => {
    expect(isTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('when quiet hours are parsed, then HH:MM-HH:MM passes and anything else is refused', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ startMinute: 21 * 60, endMinute: 8 * 60 });
    expect(parseQuietHours('12:30-13:45')).toEqual({ startMinute: 750, endMinute: 825 });
    for (const bad of ['21-08', '25:00-08:00', '21:00-21:00', '21:00', '21:00-08:00-09:00']) {
      expect(() => parseQuietHours(bad)).toThrow(RangeError);
    }
  });

  it('when a time is outside quiet hours (or there are none), then it stays', () => {
    const noon = ms('2026-06-01T12:00:00-04:00');
    expect(afterQuietHours(noon, 'America/New_York', NIGHT)).toBe(noon);
    expect(afterQuietHours(noon, 'America/New_York', undefined)).toBe(noon);
    // The window's end is not inside it.
    const eight = ms('2026-06-01T08:00:00-04:00');
    expect(afterQuietHours(eight, 'America/New_York', NIGHT)).toBe(eight);
    const justBefore = ms('2026-06-01T20:59:00-04:00');
    expect(afterQuietHours(justBefore, 'America/New_York', NIGHT)).toBe(justBefore);
  });

  it('when a time is in the early-morning part, then it waits until 08:00 that same day', () => {
    const three = ms('2026-06-01T03:00:00-04:00');
    expect(iso(afterQuietHours(three, 'America/New_York', NIGHT))).toBe('2026-06-01T12:00:00.000Z');
  });

  it('when the window does not span midnight, then it ends the same day', () => {
    const lunch = parseQuietHours('12:00-13:30');
    const t = ms('2026-06-01T12:10:00+05:30');
    expect(iso(afterQuietHours(t, 'Asia/Kolkata', lunch))).toBe('2026-06-01T08:00:00.000Z');
  });

  it.each([
    // zone, a time in the quiet evening, the instant 08:00 local next morning is (across the change)
    ['America/New_York', '2026-03-07T22:00:00-05:00', '2026-03-08T12:00:00.000Z'], // spring forward: 9 h later
    ['America/New_York', '2026-10-31T22:00:00-04:00', '2026-11-01T13:00:00.000Z'], // fall back: 11 h later
    ['Europe/London', '2026-03-28T23:00:00+00:00', '2026-03-29T07:00:00.000Z'], // GMT → BST
    ['Europe/London', '2026-10-24T21:30:00+01:00', '2026-10-25T08:00:00.000Z'], // BST → GMT
    ['Asia/Kolkata', '2026-06-01T22:15:00+05:30', '2026-06-02T02:30:00.000Z'], // no DST, half-hour offset
    ['Australia/Lord_Howe', '2026-04-04T22:00:00+11:00', '2026-04-04T21:30:00.000Z'], // 30-minute DST ends
    ['Australia/Lord_Howe', '2026-10-03T22:00:00+10:30', '2026-10-03T21:00:00.000Z'], // 30-minute DST starts
  ])(
    'when a reminder in %s falls in quiet hours across a DST change, then it waits until 08:00 local',
    (zone, at, expected) => {
      const result = afterQuietHours(ms(at), zone, NIGHT);
      expect(iso(result)).toBe(expected);
      expect(localHour(result, zone)).toBe('08:00');
    },
  );

  it('when the window ends at a local time the DST change skips, then it ends when the clock resumes', () => {
    // Lord Howe jumps from 02:00 (+10:30) to 02:30 (+11:00) on 2026-10-04: 02:15 never happens.
    const quiet = parseQuietHours('01:00-02:15');
    const t = ms('2026-10-04T01:30:00+10:30');
    const result = afterQuietHours(t, 'Australia/Lord_Howe', quiet);
    expect(iso(result)).toBe('2026-10-03T15:45:00.000Z');
    expect(result).toBeGreaterThan(t);
  });
});
