import { phoneNumber, toE164 } from '../../src/phone';

describe('phone numbers from untrusted input', () => {
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
