/**
 * The browser phone in a real browser (playwright-core driving the machine's chromium, headless):
 * the reminder confirmed with key 1, the IVR with a wrong key then a spoken choice, an SMS relayed,
 * and an app that throws showing its error id. Skipped, with one line saying why, without chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AppRegistry, loadApps } from '../../src/server/registry';
import { startRunningServer, type RunningServer } from '../helpers/running-server';
import { PLANTED } from '../helpers/secret-scan';

jest.setTimeout(60_000);

const SDK = path.join(__dirname, '..', '..', 'src', 'sdk');

/** The chromium to drive: CHROMIUM_PATH (which must exist: .ci/run sets it), else the usual places. */
function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named !== undefined && named !== '') {
    if (!fs.existsSync(named)) throw new Error(`CHROMIUM_PATH=${named} does not exist`);
    return named;
  }
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => c !== undefined && c !== '' && fs.existsSync(c));
}

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  process.stderr.write(
    'browser phone tests skipped: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)\n',
  );
}
const describeInBrowser = CHROMIUM ? describe : describe.skip;

describeInBrowser('the browser phone in chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    // A broken app lives in a temporary folder, never in apps/.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-phone-apps-'));
    fs.mkdirSync(path.join(dir, 'thrower'));
    fs.writeFileSync(
      path.join(dir, 'thrower', 'index.ts'),
      `import { defineApp } from ${JSON.stringify(SDK)};

export default defineApp({
  name: 'thrower',
  description: 'Throws on every call.',
  channels: ['voice'],
  start() {
    throw new Error('the thrower threw');
  },
});
`,
    );
    // A front desk that records, transfers and joins a conference, and a chat that asks by text.
    fs.mkdirSync(path.join(dir, 'desk'));
    fs.writeFileSync(
      path.join(dir, 'desk', 'index.ts'),
      `import { conference, defineApp, record, say, transfer } from ${JSON.stringify(SDK)};

export default defineApp({
  name: 'desk',
  description: 'Records a message, transfers the caller, then joins a conference.',
  channels: ['voice'],
  start: () => [
    say({ value: 'Leave a message.' }),
    record({ name: 'message', url: 'http://recordings.test/upload' }),
    transfer({ name: 'operator', to: '+14075550177' }),
    conference({ name: 'room', id: 'standup' }),
  ],
});
`,
    );
    fs.mkdirSync(path.join(dir, 'chat'));
    fs.writeFileSync(
      path.join(dir, 'chat', 'index.ts'),
      `import { ask, defineApp, findAction, hangup, on, say } from ${JSON.stringify(SDK)};

export default defineApp({
  name: 'chat',
  description: 'Asks for a name by text and greets it.',
  channels: ['text'],
  // The first text answers the first ask (as on Tropo); the second ask waits for a reply.
  start: (ctx) => [
    ask({ name: 'first', choices: { value: '[ANY]' }, say: [{ value: 'Hi!' }] }),
    on({ event: 'continue', next: ctx.next('name') }),
  ],
  on: {
    name: (ctx) => [
      ask({ name: 'who', choices: { value: '[ANY]' }, timeout: 60, say: [{ value: 'Your name?' }] }),
      on({ event: 'continue', next: ctx.next('greet') }),
    ],
    greet: (ctx) => [say({ value: \`Nice to meet you, \${findAction(ctx.result, 'who')?.value ?? 'stranger'}.\` }), hangup()],
  },
});
`,
    );
    const env = { RELAY_TO: '+14075550142' };
    const registry = new AppRegistry([
      ...loadApps(undefined, undefined, env).list(),
      ...loadApps(dir, undefined, env).list(),
    ]);
    server = await startRunningServer({ PHONE_UI: 'on', ...env }, { registry });
    browser = await chromium.launch({
      executablePath: CHROMIUM ?? '',
      headless: true,
      // Root (a CI container) cannot use chromium's sandbox.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${server.url}/phone`);
    // The server has API_KEY (planted): the page asks for it once.
    await page.getByLabel('API key').fill(PLANTED.apiKey);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('status').getByText('Ready').waitFor();
    await page.locator('#speed').selectOption('0');
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  const transcriptShows = (text: string | RegExp) =>
    // Lines only: the raw documents (collapsed) hold the same words.
    page.getByTestId('transcript').locator('li.line', { hasText: text }).first().waitFor();
  const waitingForAnswer = () => page.getByTestId('status').getByText('Waiting for your').waitFor();

  it('when the reminder is launched with confirm=true and key 1 is pressed, then the transcript says confirmed', async () => {
    await page.getByTestId('app-select').selectOption('appointment-reminder');
    await page.getByTestId('mode-launch').check();
    await page.getByTestId('param-numberToDial').fill('+14075550123');
    await page.getByTestId('param-msg').fill('Your appointment is tomorrow at 10');
    await page.getByTestId('param-confirm').selectOption('true');
    await page.getByTestId('start').click();
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitingForAnswer();
    await page.getByTestId('key-1').click();
    await transcriptShows(/Your appointment is confirmed/);
    await page.getByTestId('status').getByText('Session ended').waitFor();
  });

  it('when the IVR gets a wrong key, then a spoken choice, then it answers that choice', async () => {
    await page.getByTestId('app-select').selectOption('ivr-menu');
    await page.getByTestId('mode-call').check();
    await page.locator('#mute').check();
    await page.getByTestId('start').click();
    await waitingForAnswer();
    // The keyboard's digits press keys.
    await page.keyboard.press('9');
    await transcriptShows('Sorry, I did not understand.');
    await waitingForAnswer();
    await expect(page.getByTestId('hangup').isEnabled()).resolves.toBe(true);
    if (process.env.PHONE_SCREENSHOT) {
      // The README's picture: PHONE_SCREENSHOT=docs/phone.png npx jest test/browser -t IVR
      await page.screenshot({
        path: process.env.PHONE_SCREENSHOT,
        clip: { x: 0, y: 0, width: 1200, height: 600 },
      });
    }
    await page.getByTestId('text-input').fill('sales');
    await page.getByTestId('send').click();
    await transcriptShows('Caller says "sales"');
    await transcriptShows(/You chose sales/);
  });

  it('when a text reaches the SMS relay, then the thread shows it and its relay', async () => {
    await page.getByTestId('app-select').selectOption('sms-relay');
    await page.getByTestId('mode-text').check();
    await page.getByLabel('First text').fill('Running ten minutes late');
    await page.getByTestId('start').click();
    await page.locator('.bubble.out').getByText('Running ten minutes late').waitFor();
    await page
      .locator('.bubble.in')
      .getByText('To +14075550142: +14075550100: Running ten minutes late')
      .waitFor();
    await page.getByTestId('status').getByText('Session ended').waitFor();
  });

  it('when a call records, transfers and joins a conference, then the page lets the person stop, answer and leave', async () => {
    await page.getByTestId('app-select').selectOption('desk');
    await page.getByTestId('mode-call').check();
    await page.getByTestId('start').click();
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.locator('#ringing').getByText('Ringing +14075550177 (transfer)').waitFor();
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    await page.locator('#conference').getByText('In conference room standup').waitFor();
    await page.getByRole('button', { name: 'Leave the conference' }).click();
    await page.getByTestId('status').getByText('Session ended').waitFor();
    await transcriptShows(/Caller speaks for \d+ s/);
    await transcriptShows('+14075550177 answers');
    await transcriptShows(/Caller hangs up after \d+ s in the conference/);
  });

  it('when a text app asks, then the reply typed in the box continues the thread', async () => {
    await page.getByTestId('app-select').selectOption('chat');
    await page.getByTestId('mode-text').check();
    await page.getByLabel('First text').fill('hello');
    await page.getByTestId('start').click();
    await page.locator('.bubble.in').getByText('Your name?', { exact: true }).waitFor();
    await waitingForAnswer();
    await page.getByTestId('text-input').fill('Ada');
    await page.getByTestId('send').click();
    await page.locator('.bubble.in').getByText('Nice to meet you, Ada.').waitFor();
  });

  it('when the caller hangs up during an ask, then the session ends and the app hears it', async () => {
    await page.getByTestId('app-select').selectOption('ivr-menu');
    await page.getByTestId('mode-call').check();
    await page.getByTestId('start').click();
    await waitingForAnswer();
    await page.getByTestId('hangup').click();
    await page.getByTestId('status').getByText('Session ended').waitFor();
    await transcriptShows('Caller hangs up');
    await transcriptShows('Tropo POSTs result #1 to /apps/ivr-menu/on/hangup');
  });

  it('when the app throws, then the page shows the failure in red with its error id', async () => {
    await page.getByTestId('app-select').selectOption('thrower');
    await page.getByTestId('mode-call').check();
    await page.getByTestId('start').click();
    await page.getByTestId('status').getByText('Session ended').waitFor();
    const logged = server.logs().find((l) => typeof l.errorId === 'string');
    expect(logged).toBeDefined();
    const id = String(logged?.errorId);
    const failure = page.locator('#transcript .error').getByText(`error id ${id}`).first();
    await failure.waitFor();
    const colour = await failure.evaluate(
      (el) => el.ownerDocument.defaultView?.getComputedStyle(el).color,
    );
    expect(colour).toBe('rgb(164, 0, 29)');
  });
});
