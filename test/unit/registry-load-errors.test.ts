/** When an app cannot be registered, the registry's error names the file and keeps the app's own error as its cause. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppLoadError, loadApps } from '../../src/server/registry';

describe('app load errors keep their cause', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-apps-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when an app module throws while it is required, then an AppLoadError names its file and carries the thrown error', () => {
    fs.mkdirSync(path.join(dir, 'broken'));
    const file = path.join(dir, 'broken', 'index.js');
    fs.writeFileSync(file, "throw new RangeError('settings missing at line 1');\n");
    let thrown: unknown;
    try {
      loadApps(dir);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppLoadError);
    const error = thrown as AppLoadError;
    expect(error.source).toBe(file);
    expect(error.message).toContain('throws when loaded: settings missing at line 1');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).stack).toContain(file);
  });

  it('when an app module throws a non-Error, then the load error still reads and keeps it', () => {
    fs.mkdirSync(path.join(dir, 'odd'));
    fs.writeFileSync(path.join(dir, 'odd', 'index.js'), "throw 'just a string';\n");
    expect(() => loadApps(dir)).toThrow(/throws when loaded: just a string/);
    try {
      loadApps(dir);
    } catch (err) {
      expect((err as Error).cause).toBe('just a string');
    }
  });

  it('when a static document is not JSON, then the load error carries the SyntaxError', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    try {
      loadApps(dir);
      throw new Error('loadApps did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(AppLoadError);
      expect((err as Error).message).toMatch(/not readable JSON/);
      expect((err as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });
});
