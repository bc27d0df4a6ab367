import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/runtime/config';
import { DEFAULT_APPS_DIR, settingKeys } from '../../src/server/registry';

const ROOT = path.join(__dirname, '..', '..');

/** Each app module folder under apps/ with the keys its settings schema declares (not checked against any environment). */
function appSettingKeys(only?: (folder: string) => boolean): { name: string; keys: string[] }[] {
  return fs
    .readdirSync(DEFAULT_APPS_DIR, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && fs.existsSync(path.join(DEFAULT_APPS_DIR, e.name, 'index.ts')),
    )
    .filter((e) => only?.(e.name) ?? true)
    .map((e) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(DEFAULT_APPS_DIR, e.name)) as {
        default: Parameters<typeof settingKeys>[0];
      };
      return { name: e.name, keys: settingKeys(mod.default) };
    });
}

/** The app folders committed to the repository (an app being written, not yet added, is left out). */
function committedAppFolders(): Set<string> {
  const listed = execFileSync('git', ['ls-files', '--', 'apps'], { cwd: ROOT, encoding: 'utf8' });
  return new Set(
    listed
      .split('\n')
      .map((f) => /^apps\/([^/]+)\/index\.ts$/.exec(f)?.[1])
      .filter((f): f is string => f !== undefined),
  );
}

describe('loadConfig', () => {
  it('when the environment is empty, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      defaultApp: 'appointment-reminder',
      defaultTextApp: 'sms-relay',
      appTimeoutMs: 3000,
      tropoApiUrl: 'https://api.tropo.com/1.0',
      publicUrl: undefined,
      redisUrl: undefined,
      trustProxy: false,
      webConcurrency: 1,
      webhookSecret: undefined,
      webhookAllowIps: undefined,
      http: { headersTimeoutMs: 10000, requestTimeoutMs: 30000, keepAliveTimeoutMs: 5000 },
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 8000,
    });
  });

  it.each([
    ['4', 4],
    [' auto ', 'auto'],
    ['AUTO', 'auto'],
    ['1', 1],
  ])('when WEB_CONCURRENCY=%j, then webConcurrency is %j', (value, expected) => {
    expect(loadConfig({ WEB_CONCURRENCY: value }).webConcurrency).toBe(expected);
  });

  it('when values are given, then they are parsed and normalised', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://abc.tunnel.example/',
      APPS: 'sms-relay, quickstart',
      TRUST_PROXY: '1',
      TROPO_TOKEN_SMS_RELAY: 'tok-sms',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://abc.tunnel.example');
    expect(config.apps).toEqual(['sms-relay', 'quickstart']);
    expect(config.trustProxy).toBe(1);
    expect(config.appTokens).toEqual({ 'sms-relay': 'tok-sms' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'not a url'],
    ['APP_TIMEOUT_MS', '0'],
    ['APPS', '../x'],
    ['REDIS_URL', 'http://localhost'],
    ['DEFAULT_APP', 'Bad Name'],
    ['WEB_CONCURRENCY', '0'],
    ['WEB_CONCURRENCY', '2.5'],
    ['WEB_CONCURRENCY', 'many'],
    ['WEB_CONCURRENCY', '5000'],
    ['WEBHOOK_SECRET', 'short'],
    ['WEBHOOK_ALLOW_IPS', '10.0.0.0/33'],
    ['WEBHOOK_ALLOW_IPS', '2001:db8::/129'],
    ['WEBHOOK_ALLOW_IPS', 'tropo.com'],
    ['WEBHOOK_ALLOW_IPS', '10.0.0.1/'],
    ['HTTP_HEADERS_TIMEOUT_MS', '60000'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '-1'],
    ['SHUTDOWN_DELAY_MS', '1.5'],
  ])('when %s=%j, then start-up stops with a message naming the key', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`${key}: `));
  });

  it.each([
    ['REDIS_URL', 'http://user:hunter2@host'],
    ['WEBHOOK_SECRET', 'hunter2'],
  ])('when the secret %s is bad, then its value is not echoed', (key, value) => {
    let message = '';
    try {
      loadConfig({ [key]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(key);
    expect(message).not.toContain('hunter2');
  });

  it('when the webhook keys are given, then the allow list is split and the secret kept', () => {
    const config = loadConfig({
      WEBHOOK_SECRET: '0123456789abcdef0123',
      WEBHOOK_ALLOW_IPS: '203.0.113.7, 198.51.100.0/24  2001:db8::/32',
    });
    expect(config.webhookSecret).toBe('0123456789abcdef0123');
    expect(config.webhookAllowIps).toEqual(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
  });

  it('when the server timeouts are given, then they are read in milliseconds', () => {
    const config = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      SHUTDOWN_DELAY_MS: '500',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 65000,
    });
    expect(config.shutdownDelayMs).toBe(500);
  });

  it('when the headers timeout exceeds the request timeout, then both keys are named', () => {
    expect(() =>
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '15000' }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('when several keys are bad, then every one is named', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(
      /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/,
    );
  });
});

describe('.env.example', () => {
  const file = path.join(ROOT, '.env.example');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const entries = Object.fromEntries(
    lines
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('when read by node, then it parses to the same keys and values', () => {
    const parsed = Object.fromEntries(
      Object.entries(parseEnv(text)).filter(([key]) => /^[A-Z]/.test(key)),
    );
    expect(parsed).toEqual(entries);
  });

  it('when read line by line, then every line is a comment, a KEY=value or blank', () => {
    const odd = lines.filter(
      (l) => l.trim() !== '' && !/^#/.test(l) && !/^[A-Z][A-Z0-9_]*=/.test(l),
    );
    expect(odd).toEqual([]);
  });

  it('when a key is listed, then a comment above it (in its block) says what it is for', () => {
    const undocumented = lines.flatMap((line, i) => {
      if (!/^[A-Z][A-Z0-9_]*=/.test(line)) return [];
      // Walk up through the block (keys and comments, no blank line) looking for a comment.
      for (let j = i - 1; j >= 0 && lines[j]?.trim() !== ''; j--) {
        if (lines[j]?.startsWith('#')) return [];
      }
      return [line];
    });
    expect(undocumented).toEqual([]);
  });

  it('when compared with the keys the config and the apps read, then it lists no key nobody reads', () => {
    const known = new Set([...CONFIG_KEYS, ...appSettingKeys().flatMap((app) => app.keys)]);
    expect(Object.keys(entries).filter((key) => !known.has(key))).toEqual([]);
  });

  it('when an app committed under apps/ declares settings, then each key is listed under its name', () => {
    // Committed apps only: an app being written can run (and `npm test` pass) before it is documented.
    const committed = committedAppFolders();
    expect(committed.size).toBeGreaterThan(0);
    const misplaced = appSettingKeys((folder) => committed.has(folder)).flatMap(({ name, keys }) =>
      keys.flatMap((key) => {
        const at = lines.findIndex((l) => l.startsWith(`${key}=`));
        if (at === -1) return [`${name}: ${key} is not listed`];
        // The first line of the key's block (no blank line between) names the app.
        let first = at;
        while (first > 0 && lines[first - 1]?.trim() !== '') first -= 1;
        return lines[first]?.startsWith(`# ${name}:`)
          ? []
          : [`${name}: ${key} is not under "# ${name}:"`];
      }),
    );
    expect(misplaced).toEqual([]);
  });

  it('when parsed as the environment, then it is a valid configuration equal to the defaults', () => {
    expect(loadConfig(entries)).toEqual(loadConfig({}));
  });

  it('when compared with the keys the core config reads, then every key is documented', () => {
    for (const key of CONFIG_KEYS) {
      if (key.includes('<')) expect(text).toContain(key);
      else expect(Object.keys(entries)).toContain(key);
    }
  });
});
