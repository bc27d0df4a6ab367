/** Phone numbers from untrusted input: parsed and normalised to E.164 with libphonenumber-js. */
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

/** The country assumed for numbers written without a `+`: the seed's "14075551212" is a US number. */
export const DEFAULT_COUNTRY: CountryCode = 'US';

const PHONE_CHARACTERS = /^\+?[0-9(][0-9 ().-]*$/;
/**
 * A NANP number already in E.164: `+1`, then a ten-digit national number whose first digit is
 * 2–9. libphonenumber calls every such number possible and writes it back unchanged: there is no
 * national prefix to strip (it cannot start with 1), and every country of calling code 1 takes
 * ten-digit national numbers (test/unit/phone.test.ts checks both against the installed library).
 */
const NANP_E164 = /^\+1[2-9]\d{9}$/;

let library: typeof import('libphonenumber-js') | undefined;

/** libphonenumber-js, loaded on the first number that needs a full parse (~45 ms of a cold start). */
function phoneLibrary(): typeof import('libphonenumber-js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  library ??= require('libphonenumber-js') as typeof import('libphonenumber-js');
  return library;
}

/** The E.164 form (`+14075551212`) of a phone number, or undefined when it is not a possible number. */
export function toE164(input: string, country: CountryCode = DEFAULT_COUNTRY): string | undefined {
  const trimmed = input.trim().replace(/^tel:/i, '');
  if (trimmed.length === 0 || trimmed.length > 40) return undefined;
  // libphonenumber finds a number inside any text ("call +1 407… now", a JSON object, an
  // extension): only digits and the usual separators are a number here.
  if (!PHONE_CHARACTERS.test(trimmed)) return undefined;
  // A bare 11-digit NANP number ("14075551212") carries its country code without the "+".
  const withPlus = /^1\d{10}$/.test(trimmed) && country === 'US' ? `+${trimmed}` : trimmed;
  // The form Tropo and the Session API use; a full parse costs ~17 µs (it works out which of the
  // 25 NANP countries the number belongs to, which E.164 does not need) for the same answer.
  if (NANP_E164.test(withPlus)) return withPlus;
  const parsed = phoneLibrary().parsePhoneNumberFromString(withPlus, country);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** A zod schema for a phone-number parameter: validates and outputs E.164. */
export const phoneNumber = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: 'must be a phone number, e.g. +14075551212' });
    return z.NEVER;
  }
  return e164;
});

/** The `tel:` URI Tropo dials for an E.164 number. */
export function telUri(e164: string): string {
  return `tel:${e164}`;
}
