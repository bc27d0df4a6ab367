/** Time for campaigns: `at` (ISO with an offset, or local in an IANA zone) to an instant, and quiet hours in each reminder's own zone, DST-correct (luxon). */
import { DateTime, IANAZone } from 'luxon';
import type { QuietHours } from './model';

/** An offset at the end of an ISO 8601 time: `Z`, `+05:30`, `-0400`, `+01`. */
const OFFSET = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
/** A date, optionally with a time, as ISO 8601 writes it. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?/;

/** Zone names already checked: luxon builds an Intl.DateTimeFormat for each check (~1 ms). */
const zones = new Map<string, IANAZone | null>();

/** The zone of that IANA name, or null; cached (a campaign names few zones, this map stays small). */
function zoneOf(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone =
      name.length > 0 && name.length <= 64 && IANAZone.isValidZone(name)
        ? IANAZone.create(name)
        : null;
    // Bounded: a hostile body could name many invalid zones.
    if (zones.size < 1000) zones.set(name, zone);
  }
  return zone;
}

/** True when `zone` is an IANA zone name this runtime knows (`America/New_York`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  return zoneOf(zone) !== null;
}

/** The instant (epoch ms) `at` names, read in `zone` when it carries no offset; or the reason it cannot be read. */
export function instantOf(
  at: string,
  zone: string,
): { ok: true; ms: number } | { ok: false; message: string } {
  const text = at.trim();
  if (!ISO_DATE_TIME.test(text)) {
    return {
      ok: false,
      message: 'must be ISO 8601, e.g. 2026-12-04T09:30:00 or 2026-12-04T09:30:00-05:00',
    };
  }
  const normalised = text.replace(' ', 'T');
  const parsed = OFFSET.test(normalised)
    ? DateTime.fromISO(normalised, { setZone: true })
    : DateTime.fromISO(normalised, { zone: zoneOf(zone) ?? zone });
  if (!parsed.isValid)
    return {
      ok: false,
      message: `is not a valid time (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`,
    };
  return { ok: true, ms: parsed.toMillis() };
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses `HH:MM-HH:MM` (e.g. `21:00-08:00`); throws a RangeError naming the problem. */
export function parseQuietHours(text: string): QuietHours {
  const [from, to, ...rest] = text.trim().split('-');
  const start = HH_MM.exec(from?.trim() ?? '');
  const end = HH_MM.exec(to?.trim() ?? '');
  if (!start || !end || rest.length > 0) {
    throw new RangeError('must be HH:MM-HH:MM in 24-hour time, e.g. 21:00-08:00');
  }
  const startMinute = Number(start[1]) * 60 + Number(start[2]);
  const endMinute = Number(end[1]) * 60 + Number(end[2]);
  if (startMinute === endMinute) throw new RangeError('must not start and end at the same time');
  return { startMinute, endMinute };
}

/**
 * When `ms` falls inside the quiet hours of `zone`, the instant they end (the next local end time,
 * as the zone's clock shows it that day); otherwise `ms` itself.
 */
export function afterQuietHours(ms: number, zone: string, quiet: QuietHours | undefined): number {
  if (!quiet) return ms;
  const local = DateTime.fromMillis(ms, { zone });
  const minute = local.hour * 60 + local.minute;
  const { startMinute, endMinute } = quiet;
  const spansMidnight = startMinute > endMinute;
  const inside = spansMidnight
    ? minute >= startMinute || minute < endMinute
    : minute >= startMinute && minute < endMinute;
  if (!inside) return ms;
  // The window ends today, unless it began this evening and ends tomorrow morning.
  const day = spansMidnight && minute >= startMinute ? local.plus({ days: 1 }) : local;
  // Set the wall-clock time on that calendar day: luxon resolves a time a DST change skips
  // by moving it forward, and an ambiguous one to its first occurrence.
  const end = DateTime.fromObject(
    {
      year: day.year,
      month: day.month,
      day: day.day,
      hour: Math.floor(endMinute / 60),
      minute: endMinute % 60,
    },
    { zone },
  );
  return Math.max(end.toMillis(), ms);
}
