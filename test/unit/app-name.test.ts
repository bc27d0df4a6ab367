/** The app-name rule is written once (src/server/app-name.ts); the registry, the launch API and the config all apply it. */
import { z } from 'zod';
import { loadConfig } from '../../src/runtime/config';
import { APP_NAME_PATTERN } from '../../src/server/app-name';
import { staticApp } from '../../src/server/registry';

const document = { tropo: [{ hangup: {} }] };

describe('app names', () => {
  it.each(['a', 'sms-relay', '0-9', 'x'.repeat(63)])(
    'when the name is %p, then the pattern, the registry and the config accept it',
    (name) => {
      expect(APP_NAME_PATTERN.test(name)).toBe(true);
      expect(() => staticApp(name, document)).not.toThrow();
      expect(loadConfig({ DEFAULT_APP: name }).defaultApp).toBe(name);
    },
  );

  it.each(['', '-lead', 'Upper', 'under_score', 'dot.ted', 'x'.repeat(64), 'a/b'])(
    'when the name is %p, then the pattern, the registry and the config refuse it',
    (name) => {
      expect(APP_NAME_PATTERN.test(name)).toBe(false);
      expect(() => staticApp(name, document)).toThrow(/not URL-safe/);
      expect(() => loadConfig({ DEFAULT_APP: name === '' ? '-' : name })).toThrow(/DEFAULT_APP/);
    },
  );

  it('the pattern is anchored (no partial match)', () => {
    expect(z.string().regex(APP_NAME_PATTERN).safeParse('ok\nBAD').success).toBe(false);
  });
});
