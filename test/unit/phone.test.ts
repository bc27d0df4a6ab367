/** Tests phone-number normalisation: the examples operators type, and the NANP fast path against a full libphonenumber parse. */
import fc from 'fast-check';
import {
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import { phoneNumber, toE164 } from '../../src/sdk/phone';

/** What a full parse answers, with no fast path. */
function parsedE164(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

describe('toE164', () => {
  it('when the library lists the countries of calling code 1, then each takes ten-digit numbers (the fast path rests on it)', () => {
    const metadata = new Metadata();
    const nanp = getCountries().filter((c) => getCountryCallingCode(c) === '1');
    expect(nanp).toContain('US');
    for (const country of nanp) {
      metadata.selectNumberingPlan(country);
      expect({ country, ten: metadata.numberingPlan?.possibleLengths().includes(10) }).toEqual({
        country,
        ten: true,
      });
    }
  });

  it.each([
    ['+14075551212', '+14075551212'],
    ['14075551212', '+14075551212'],
    ['4075551212', '+14075551212'],
    ['(407) 555-1212', '+14075551212'],
    ['tel:+14075551212', '+14075551212'],
    ['  +1 407 555 1212 ', '+14075551212'],
    ['+442079460958', '+442079460958'],
    ['+12425551212', '+12425551212'],
  ])('when given %j, then it answers %j', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each(['', 'hello', '+1407555121', '+140755512123', '123', 'x'.repeat(41)])(
    'when given %j, then it answers undefined',
    (input) => {
      expect(toE164(input)).toBeUndefined();
    },
  );

  it('when given any +1 number of 11 to 12 digits, then it answers what a full parse does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+1\d{10,11}$/), (input) => {
        expect(toE164(input)).toBe(parsedE164(input));
      }),
      { numRuns: 500 },
    );
  });

  it('when used as a zod schema, then it outputs E.164 or says what is wrong', () => {
    expect(phoneNumber.parse('14075551212')).toBe('+14075551212');
    expect(phoneNumber.safeParse('nope').error?.issues[0]?.message).toMatch(/phone number/);
  });
});

describe('phone numbers from untrusted input (hostile forms)', () => {
  it.each([
    ['14075551212', '+14075551212'],
    ['+14075551212', '+14075551212'],
    ['tel:+14075551212', '+14075551212'],
    ['+1 (407) 555-1212', '+14075551212'],
    ['407.555.1212', '+14075551212'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('when given %j, then reads it as %s', (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it.each([
    'call +14075551212 now',
    '{"number":"+14075551212"}',
    '+14075551212;ext=1',
    '1-407-555-1212 x12',
    '+1407555121２',
    'sip:+14075551212@example.com',
    '+1 407 555 1212\u0000',
    '1'.repeat(41),
    '',
    '+',
  ])('when given %j, then it is not a phone number', (input) => {
    expect(toE164(input)).toBeUndefined();
    expect(phoneNumber.safeParse(input).success).toBe(false);
  });
});
