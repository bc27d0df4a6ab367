import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config';

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
  ])('when %s=%j, then start-up stops with a message naming the key', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`${key}: `));
  });

  it('when a secret key is bad, then its value is not echoed', () => {
    let message = '';
    try {
      loadConfig({ REDIS_URL: 'http://user:hunter2@host' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('hunter2');
  });

  it('when several keys are bad, then every one is named', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(
      /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/,
    );
  });
});

describe('.env.example', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
  const entries = Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('when parsed as the environment, then it is a valid configuration equal to the defaults', () => {
    expect(loadConfig(entries)).toEqual(loadConfig({}));
  });

  it('when compared with the keys the config reads, then every key is documented', () => {
    for (const key of CONFIG_KEYS) {
      if (key.includes('<')) expect(text).toContain(key);
      else expect(Object.keys(entries)).toContain(key);
    }
  });
});
