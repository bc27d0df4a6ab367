/** The engine asks an input source, not only the script: each ask, leg, recording and conference waits for its answer, which shapes the session. */
import {
  simulate,
  type HttpOutcome,
  type PostJson,
  type SessionSpec,
} from '../../../src/simulator';
import type { InputSource } from '../../../src/simulator/session/input-source';

const ORIGIN = 'http://app.test';

/** An app answering each path with a fixed document. */
function app(routes: Record<string, unknown>): PostJson {
  return (url) => {
    const path = new URL(url).pathname;
    const document = routes[path];
    const outcome: HttpOutcome =
      document === undefined
        ? {
            ok: true,
            status: 404,
            contentType: 'text/plain',
            body: '',
            truncated: false,
            durationMs: 0,
          }
        : {
            ok: true,
            status: 200,
            contentType: 'application/json; charset=utf-8',
            body: JSON.stringify(document),
            truncated: false,
            durationMs: 0,
          };
    return Promise.resolve(outcome);
  };
}

/** A source that answers from a list and notes each question it was asked. */
function recordingSource(): { source: InputSource; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    source: {
      answer: (q) => {
        asked.push(
          `ask ${q.who} ${q.channel} timeout=${q.timeout} attempt=${q.attempt}/${q.attempts}`,
        );
        return Promise.resolve({ kind: 'answer', text: '2', via: 'dtmf' });
      },
      leg: (q) => {
        asked.push(`leg ${q.verb} ${q.to}`);
        return Promise.resolve(q.verb === 'call' ? 'busy' : 'answer');
      },
      record: (q) => {
        asked.push(`record attempt=${q.attempt}`);
        return Promise.resolve({ outcome: 'recorded', seconds: 7 });
      },
      conference: (q) => {
        asked.push(`conference ${q.room}`);
        return Promise.resolve({ seconds: 12 });
      },
    },
  };
}

describe('an input source in place of the script', () => {
  it('when a call records, transfers and joins a conference, then each waits for the source and uses its answer', async () => {
    const { source, asked } = recordingSource();
    const call: SessionSpec = { kind: 'voice', from: '+14155550100', to: '+14155550199' };
    const transcript = await simulate({
      startUrl: `${ORIGIN}/start`,
      session: call,
      inputSource: source,
      post: app({
        '/start': {
          tropo: [
            {
              ask: {
                name: 'menu',
                choices: { value: '1,2' },
                timeout: 4,
                say: [{ value: 'Pick' }],
              },
            },
            { record: { name: 'msg', url: 'http://rec.test/up' } },
            { transfer: { name: 'xfer', to: '+14155550142' } },
            { conference: { name: 'conf', id: 'room-7' } },
          ],
        },
      }),
    });
    expect(asked).toEqual([
      'ask Caller VOICE timeout=4 attempt=1/1',
      'record attempt=1',
      'leg transfer +14155550142',
      'conference room-7',
    ]);
    const texts = transcript.lines.map((l) => l.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Caller presses 2',
        'Caller speaks for 7 s',
        '+14155550142 answers',
        'Caller hangs up after 12 s in the conference',
      ]),
    );
  });

  it('when a launched call is rung, then the source decides how it ends', async () => {
    const { source, asked } = recordingSource();
    const transcript = await simulate({
      startUrl: `${ORIGIN}/start`,
      session: { kind: 'token', token: 'unit-token', parameters: {} },
      inputSource: source,
      post: app({
        '/start': { tropo: [{ call: { to: '+14155550123' } }, { say: [{ value: 'Hi' }] }] },
      }),
    });
    expect(asked).toEqual(['leg call +14155550123']);
    expect(transcript.lines.map((l) => l.text)).toContain('+14155550123 is busy');
  });
});
