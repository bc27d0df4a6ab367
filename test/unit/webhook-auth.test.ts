import fc from 'fast-check';
import { bearerMatches } from '../../src/server/launch';
import { continuationSigner, ipAllowList, keyMatches } from '../../src/server/webhook-auth';

const SECRET = 'correct-horse-battery-staple';

describe('keyMatches', () => {
  it('when the key is the secret, then it matches', () => {
    expect(keyMatches(SECRET, SECRET)).toBe(true);
  });

  it.each([
    ['a wrong key', 'correct-horse-battery-stapler'],
    ['a prefix of the secret', 'correct-horse'],
    ['an empty key', ''],
    ['no key', undefined],
    ['a repeated key (?key=a&key=b)', [SECRET, SECRET]],
  ])('when given %s, then it does not match', (_what, given) => {
    expect(keyMatches(given, SECRET)).toBe(false);
  });
});

describe('bearerMatches (the launch API key, compared by keyMatches)', () => {
  it.each([
    [`Bearer ${SECRET}`, true],
    [`bearer ${SECRET}  `, true],
    ['Bearer correct-horse', false],
    [`Basic ${SECRET}`, false],
    ['Bearer ', false],
    [`Bearer ${SECRET} extra`, false],
    [undefined, false],
  ])('when the Authorization header is %p, then it matches: %p', (header, expected) => {
    expect(bearerMatches(header, SECRET)).toBe(expected);
  });

  it('for any header, then it agrees with keyMatches on the bearer token', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !/\s/.test(s)),
        (token) => {
          expect(bearerMatches(`Bearer ${token}`, SECRET)).toBe(keyMatches(token, SECRET));
          expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
        },
      ),
    );
  });
});

describe('ipAllowList', () => {
  const list = ipAllowList(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32', '::1']);

  it.each([
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['198.51.100.200', true],
    ['198.51.101.1', false],
    ['::ffff:198.51.100.9', true],
    ['2001:db8:1::5', true],
    ['2001:db9::1', false],
    ['::1', true],
    ['127.0.0.1', false],
    ['not-an-address', false],
    [undefined, false],
  ])('when the caller is %s, then allowed is %s', (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it('when an entry is not an address, then building the list fails naming it', () => {
    expect(() => ipAllowList(['tropo.com'])).toThrow(/tropo\.com/);
  });
});

describe('continuationSigner', () => {
  const signer = continuationSigner(SECRET);

  it('when a signature is checked against what it was made for, then it verifies', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (app, handler, sessionId) => {
        expect(signer.verify(app, handler, sessionId, signer.sign(app, handler, sessionId))).toBe(
          true,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('when any of app, handler or session differs, then the signature does not verify', () => {
    const tuple = fc.tuple(fc.string(), fc.string(), fc.string());
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        fc.pre(a.some((x, i) => x !== b[i]));
        expect(signer.verify(b[0], b[1], b[2], signer.sign(a[0], a[1], a[2]))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('when fields are shifted between app, handler and session, then the signature differs', () => {
    expect(signer.sign('ab', 'c', 'd')).not.toBe(signer.sign('a', 'bc', 'd'));
    expect(signer.sign('a', 'b', 'c')).not.toBe(signer.sign('a', 'b\u0000c', ''));
  });

  it('when another secret signs, then the signature does not verify', () => {
    const other = continuationSigner(`${SECRET}!`);
    expect(signer.verify('app', 'h', 's1', other.sign('app', 'h', 's1'))).toBe(false);
  });

  it.each([
    ['no signature', undefined],
    ['an empty signature', ''],
    ['a repeated signature', ['x', 'y']],
    ['a truncated signature', continuationSigner(SECRET).sign('app', 'h', 's1').slice(0, -1)],
  ])('when given %s, then it does not verify', (_what, sig) => {
    expect(signer.verify('app', 'h', 's1', sig)).toBe(false);
  });

  it('when signing, then the signature is URL-safe and does not contain the secret', () => {
    const sig = signer.sign('app', 'h', 's1');
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sig).not.toContain(SECRET);
  });
});
