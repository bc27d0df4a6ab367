/** End to end: the real server on port 0 and the simulator, for every shipped app and path. */
import {
  exitCodeOf,
  parseScriptArgs,
  simulate,
  type SessionSpec,
  type Transcript,
} from '../../src/simulator';
import { startRunningServer, type RunningServer } from '../helpers/running-server';
import { PLANTED, recordForSecretScan } from '../helpers/secret-scan';

// The planted token: every log and transcript of this file is scanned for it after the tests.
const TOKEN = PLANTED.sessionToken;
const RELAY_TO = '+14155550123';

let server: RunningServer;

beforeAll(async () => {
  server = await startRunningServer({ RELAY_TO });
});

afterAll(async () => {
  await server.close();
});

async function play(path: string, session: SessionSpec, flags: string[] = []): Promise<Transcript> {
  const t = await simulate({
    startUrl: `${server.url}${path}`,
    session,
    script: parseScriptArgs(flags).script,
    timeoutMs: 5000,
  });
  recordForSecretScan('transcript', () => JSON.stringify(t));
  return t;
}

function texts(t: Transcript): string[] {
  return t.lines.map((l) => l.text);
}

/** The body of the n-th result POST of the session. */
function result(t: Transcript, n: number): Record<string, unknown> {
  const exchange = t.exchanges.filter((e) => e.purpose === 'result')[n - 1];
  return (exchange?.request as { result: Record<string, unknown> }).result;
}

const reminder = (confirm: boolean): SessionSpec => ({
  kind: 'token',
  token: TOKEN,
  parameters: {
    numberToDial: '+1 407 555 1212',
    msg: 'Your dentist appointment is tomorrow at 10',
    ...(confirm ? { confirm: 'true' } : {}),
  },
});

describe('appointment reminder', () => {
  it('when launched without confirmation, then Tropo calls, says the message, reports back and hangs up', async () => {
    const t = await play('/start', reminder(false));
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t)).toEqual(
      expect.arrayContaining([
        'Tropo → calls +14075551212',
        '+14075551212 answers',
        'Tropo says: Your dentist appointment is tomorrow at 10',
        'Tropo POSTs result #1 to /apps/appointment-reminder/on/heard',
        'The app answers 200: hangup',
      ]),
    );
    expect(t.documents).toBe(2);
    expect(t.results).toBe(1);
  });

  it('when the line is busy, then the incomplete handler hears of it and hangs up quietly', async () => {
    const t = await play('/start', reminder(false), ['--call-outcome', 'busy']);
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t)).toEqual(
      expect.arrayContaining([
        'Tropo POSTs result #1 to /apps/appointment-reminder/on/incomplete',
        'The app answers 200: hangup',
      ]),
    );
    expect(texts(t).some((line) => line.startsWith('Tropo says'))).toBe(false);
  });

  it('when the callee presses 1, then the confirm handler gets the choice and confirms', async () => {
    const t = await play('/apps/appointment-reminder/start', reminder(true), ['--input', '1']);
    expect(exitCodeOf(t)).toBe(0);
    expect(texts(t)).toContain('Caller presses 1');
    expect(texts(t)).toContain(
      'Tropo says: Your dentist appointment is tomorrow at 10. Your appointment is confirmed. Goodbye.',
    );
    const r = result(t, 1);
    expect(t.exchanges[1]?.url).toBe(`${server.url}/apps/appointment-reminder/on/confirm`);
    expect(r).toMatchObject({
      sequence: 1,
      state: 'ANSWERED',
      calledid: '14075551212',
      actions: { name: 'confirm', disposition: 'SUCCESS', value: 'confirm', interpretation: '1' },
    });
  });

  it('when the callee presses 2, then the appointment is cancelled', async () => {
    const t = await play('/apps/appointment-reminder/start', reminder(true), ['--input', '2']);
    expect(t.outcome?.status).toBe('completed');
    expect(result(t, 1).actions).toMatchObject({ value: 'cancel' });
    expect(texts(t).join('\n')).toContain('Your appointment is cancelled. Goodbye.');
  });

  it('when the callee says nothing, then three timeouts lead to the incomplete handler', async () => {
    const t = await play('/apps/appointment-reminder/start', reminder(true));
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t).filter((x) => x === 'Caller says nothing for 10 s')).toHaveLength(3);
    expect(t.exchanges[1]?.url).toBe(`${server.url}/apps/appointment-reminder/on/incomplete`);
    expect(result(t, 1).actions).toEqual({
      name: 'confirm',
      attempts: 3,
      disposition: 'TIMEOUT',
    });
    expect(texts(t)).toContain(
      'Tropo says: We did not get your answer. We will keep your appointment as it is. Goodbye.',
    );
    // Three 10 s silences and the prompts: a session of about a minute in simulated time.
    expect(t.sessionDuration).toBeGreaterThanOrEqual(50);
  });

  it('when sessions ran, then neither the transcripts nor the server logs show the token', async () => {
    const t = await play('/start', reminder(false));
    expect(JSON.stringify(t)).not.toContain(TOKEN);
    expect(server.rawLogs()).not.toContain(TOKEN);
  });
});

describe('SMS relay', () => {
  it('when launched, then Tropo texts msg to numberToDial', async () => {
    const t = await play('/apps/sms-relay/start', {
      kind: 'token',
      token: TOKEN,
      parameters: { numberToDial: '4155550177', msg: 'Your table is ready' },
    });
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t)).toContain('Tropo texts +14155550177: Your table is ready');
  });

  it('when a text comes in, then it is relayed to RELAY_TO with the sender', async () => {
    const t = await play('/start', {
      kind: 'text',
      from: '+14155550100',
      to: '+14155550199',
      text: 'Running 10 minutes late',
    });
    expect(t.kind).toBe('text');
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t)).toContain(
      `Tropo texts ${RELAY_TO} from +14155550199: +14155550100: Running 10 minutes late`,
    );
  });
});

describe('IVR menu', () => {
  it('when the caller first presses a wrong key and then says a department, then the choice handler answers', async () => {
    const t = await play(
      '/apps/ivr-menu/start',
      { kind: 'voice', from: '+14155550100', to: '+14155550199' },
      ['--input', '9', '--input', 'support'],
    );
    expect(t.outcome?.status).toBe('completed');
    const lines = texts(t);
    expect(lines).toContain('Tropo answers the call');
    expect(lines).toContain('Caller presses 9');
    expect(lines).toContain('Tropo says: Sorry, I did not understand.');
    expect(lines).toContain('Caller says "support"');
    expect(result(t, 1)).toMatchObject({
      state: 'ANSWERED',
      calledid: '14155550199',
      actions: { name: 'department', attempts: 2, disposition: 'SUCCESS', value: 'support' },
    });
    expect(lines.some((l) => l.startsWith('Tropo says: You chose support.'))).toBe(true);
  });

  it('when the caller hangs up during the menu, then the hangup handler gets a DISCONNECTED result', async () => {
    const t = await play(
      '/apps/ivr-menu/start',
      { kind: 'voice', from: '+14155550100', to: '+14155550199' },
      ['--input', 'hangup'],
    );
    expect(t.outcome).toMatchObject({ status: 'completed', reason: 'the caller hung up' });
    expect(t.exchanges[1]?.url).toBe(`${server.url}/apps/ivr-menu/on/hangup`);
    expect(result(t, 1)).toMatchObject({
      state: 'DISCONNECTED',
      actions: { name: 'department', disposition: 'HANGUP' },
    });
  });
});

describe('quickstart (static document)', () => {
  it('when played, then its call and say run', async () => {
    const t = await play('/apps/quickstart.json', { kind: 'token', token: TOKEN, parameters: {} });
    expect(t.outcome?.status).toBe('completed');
    expect(texts(t)).toContain('Tropo says: Remember, you have a meeting at 2 PM');
  });
});
