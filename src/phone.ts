/** Phone numbers from untrusted input: parsed and normalised to E.164 with libphonenumber-js. */
import {
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';
import { z } from 'zod';

/** The country assumed for numbers written without a `+`: the seed's "14075551212" is a US number. */
export const DEFAULT_COUNTRY: CountryCode = 'US';

/** A NANP number already in E.164: `+1`, then a ten-digit national number whose first digit is 2–9. */
const NANP_E164 = /^\+1[2-9]\d{9}$/;

/**
 * Whether libphonenumber calls every NANP number of that form possible and writes it back unchanged.
 * It does when every country of calling code 1 takes ten-digit national numbers: the national
 * number (nothing to strip, it cannot start with the prefix 1) is then possible whichever NANP
 * country the parse settles on. Checked against the library's own metadata, once.
 */
function nanpAlwaysPossible(): boolean {
  const metadata = new Metadata();
  return getCountries()
    .filter((c) => getCountryCallingCode(c) === '1')
    .every((c) => {
      metadata.selectNumberingPlan(c);
      return metadata.numberingPlan?.possibleLengths().includes(10) === true;
    });
}

const NANP_FAST_PATH = nanpAlwaysPossible();

/** The E.164 form (`+14075551212`) of a phone number, or undefined when it is not a possible number. */
export function toE164(input: string, country: CountryCode = DEFAULT_COUNTRY): string | undefined {
  const trimmed = input.trim().replace(/^tel:/i, '');
  if (trimmed.length === 0 || trimmed.length > 40) return undefined;
  // A bare 11-digit NANP number ("14075551212") carries its country code without the "+".
  const withPlus = /^1\d{10}$/.test(trimmed) && country === 'US' ? `+${trimmed}` : trimmed;
  // The form Tropo and the Session API use; a full parse costs ~17 µs (it works out which of the
  // 25 NANP countries the number belongs to, which E.164 does not need) for the same answer.
  if (NANP_FAST_PATH && NANP_E164.test(withPlus)) return withPlus;
  const parsed = parsePhoneNumberFromString(withPlus, country);
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
