/** Phone numbers from untrusted input: parsed and normalised to E.164 with libphonenumber-js. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

/** The country assumed for numbers written without a `+`: the seed's "14075551212" is a US number. */
export const DEFAULT_COUNTRY: CountryCode = 'US';

const PHONE_CHARACTERS = /^\+?[0-9][0-9 ().-]*$/;

/** The E.164 form (`+14075551212`) of a phone number, or undefined when it is not a possible number. */
export function toE164(input: string, country: CountryCode = DEFAULT_COUNTRY): string | undefined {
  const trimmed = input.trim().replace(/^tel:/i, '');
  if (trimmed.length === 0 || trimmed.length > 40) return undefined;
  // libphonenumber finds a number inside any text ("call +1 407… now", a JSON object, an
  // extension): only digits and the usual separators are a number here.
  if (!PHONE_CHARACTERS.test(trimmed)) return undefined;
  // A bare 11-digit NANP number ("14075551212") carries its country code without the "+".
  const withPlus = /^1\d{10}$/.test(trimmed) && country === 'US' ? `+${trimmed}` : trimmed;
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
