/** docker-compose.yml says what the server does: its comments name the defaults the config really has. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/runtime/config';

const compose = fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
const defaults = loadConfig({});

/** The default of a `*_MS` setting, in seconds, as the config reads an empty environment. */
const secondsOf: Record<string, number> = {
  SHUTDOWN_DELAY_MS: defaults.shutdownDelayMs / 1000,
  SHUTDOWN_TIMEOUT_MS: defaults.shutdownTimeoutMs / 1000,
};

describe('docker-compose.yml', () => {
  it('when a comment names a setting with its value in seconds, then that is the default', () => {
    const named = [...compose.matchAll(/#.*?\b([A-Z_]+_MS) \((\d+(?:\.\d+)?) s\)/g)];
    expect(named.length).toBeGreaterThan(0);
    for (const [, key = '', value] of named) {
      expect({ key, seconds: Number(value) }).toEqual({ key, seconds: secondsOf[key] });
    }
  });

  it('when the app is stopped, then the grace period outlasts the shutdown delay and timeout', () => {
    const grace = /stop_grace_period: (\d+)s/.exec(compose);
    expect(grace).not.toBeNull();
    const total = (defaults.shutdownDelayMs + defaults.shutdownTimeoutMs) / 1000;
    expect(Number(grace?.[1])).toBeGreaterThan(total);
  });

  it('when the port is published, then it is the default PORT', () => {
    expect(compose).toContain(`- '${defaults.port}:${defaults.port}'`);
  });
});
