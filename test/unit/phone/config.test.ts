/** PHONE_UI in the config: off unless asked for or under `npm run dev`, and never open to the network without API_KEY. */
import { isLoopbackHost } from '../../../src/lib';
import { ConfigError, loadConfig } from '../../../src/runtime/config';

describe('PHONE_UI', () => {
  it('when unset, then the phone is off, and on under npm run dev (serve --dev)', () => {
    expect(loadConfig({}).phoneUi).toBe(false);
    expect(loadConfig({}, { dev: true }).phoneUi).toBe(true);
    expect(loadConfig({ PHONE_UI: 'off' }, { dev: true }).phoneUi).toBe(false);
  });

  it('when under npm run dev with HOST unset, then the server listens on loopback; a HOST given wins', () => {
    expect(loadConfig({}, { dev: true }).host).toBe('127.0.0.1');
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', PHONE_UI: 'off' }, { dev: true }).host).toBe('0.0.0.0');
  });

  it('when on with a HOST other than loopback and no API_KEY, then the server refuses to start and says why', () => {
    const attempt = () => loadConfig({ PHONE_UI: 'on', HOST: '0.0.0.0' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PHONE_UI: .*HOST=0\.0\.0\.0 \(not loopback\) it needs API_KEY/);
    expect(() => loadConfig({ HOST: '0.0.0.0' }, { dev: true })).toThrow(/PHONE_UI/);
  });

  it('when on with API_KEY, or on loopback, then it starts', () => {
    expect(loadConfig({ PHONE_UI: 'on', HOST: '0.0.0.0', API_KEY: 'k' }).phoneUi).toBe(true);
    expect(loadConfig({ PHONE_UI: 'on', HOST: '127.0.0.1' }).phoneUi).toBe(true);
    expect(loadConfig({ PHONE_UI: 'on', HOST: '::1' }).phoneUi).toBe(true);
  });

  it('when PHONE_UI is neither on nor off, then the config names the key', () => {
    expect(() => loadConfig({ PHONE_UI: 'yes' })).toThrow(/PHONE_UI: must be on or off/);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['example.com', false],
  ])('when HOST is %s, then loopback is %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
