/** fake-tropo never prints or serves the webhook key its start URL carries (issue 16, item 6). */
import { createFakeTropoCommand } from '../../../src/cli/fake-tropo';
import { createSessionApiClient } from '../../../src/session-api';
import { memoryIO } from '../../helpers/memory-io';
import { refusedBaseUrl } from '../../helpers/stub-tropo';

const KEY = 'planted-webhook-key-0123456789abcdef';

describe('tropo-app fake-tropo and the webhook key', () => {
  it('when the start URL carries key=, then the listening line, the session lines and GET / hide it', async () => {
    const io = memoryIO();
    const url = `${await refusedBaseUrl()}/apps/ivr-menu/start?key=${KEY}`;
    let page = '';
    const command = createFakeTropoCommand({
      untilStopped: async (fake) => {
        const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
        const { id } = await client.createSession({ token: 'fake-key-token', parameters: {} });
        await fake.finished(id);
        page = await (await fetch(`${fake.origin}/`)).text();
      },
    });
    await expect(command(['--start-url', url, '--port', '0'], io)).resolves.toBe(0);
    const printed = io.out() + io.err();
    expect(printed).toMatch(/^fake Tropo listening on .*sessions play against .*key=\[REDACTED\]/);
    expect(io.err()).toMatch(/session [0-9a-f]{32} started: playing it against .*key=\[REDACTED\]/);
    expect(JSON.parse(page)).toMatchObject({ startUrl: expect.stringContaining('key=[REDACTED]') });
    expect(printed + page).not.toContain(KEY);
  });

  it('when the start URL with a key is refused, then the usage error hides the key', async () => {
    const io = memoryIO();
    const command = createFakeTropoCommand();
    await expect(command(['--start-url', `ftp://h/start?key=${KEY}`], io)).resolves.toBe(2);
    expect(io.err()).toContain('key=[REDACTED]');
    expect(io.err()).not.toContain(KEY);
  });
});
