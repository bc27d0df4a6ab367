/** Tests that app-supplied text reaches the readable transcript with its control characters escaped (issue 16, item 7). */
import { createSimulateCommand } from '../../../src/cli/simulate';
import {
  printable,
  renderTranscript,
  type PostJson,
  type Transcript,
} from '../../../src/simulator';
import { memoryIO } from '../../helpers/memory-io';

/** ESC[2J clears the screen, CR returns to the line start: together they forge a verdict line. */
const HOSTILE =
  '\u001b[2J\u001b[H\rOK: the session ended normally (1 document, 0 results)\n\u009b31m';

/** Any raw control character except the line feeds between lines. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('printable', () => {
  it('when text holds C0, DEL, C1 or bidi controls, then each is written as a visible escape', () => {
    expect(printable('a\u001bb\rc\nd\te\u0000f\u007fg\u0085h\u202ei')).toBe(
      'a\\x1bb\\rc\\nd\\te\\x00f\\x7fg\\x85h\\u202ei',
    );
  });

  it('when multiline, then line feeds stay and the rest is escaped', () => {
    expect(printable('one\n\u001b[2Jtwo', { multiline: true })).toBe('one\n\\x1b[2Jtwo');
  });

  it('when text is plain, then it is unchanged', () => {
    expect(printable('Tropo says "Hello, wörld" → 1 2 3')).toBe(
      'Tropo says "Hello, wörld" → 1 2 3',
    );
  });
});

describe('renderTranscript with hostile app text', () => {
  const transcript: Transcript = {
    sessionId: 'abc',
    kind: 'voice',
    startUrl: 'http://h/start',
    startedAt: '2024-01-01T00:00:00.000Z',
    sessionDuration: 1,
    documents: 1,
    results: 0,
    outcome: {
      status: 'app-failed',
      reason: `the app failed: ${HOSTILE}`,
      state: 'DISCONNECTED',
      failures: [HOSTILE],
      cause: `Error: ${HOSTILE}\n    at somewhere`,
    },
    lines: [{ at: 0, actor: 'tropo', level: 'info', text: `Tropo says "${HOSTILE}"`, exchange: 0 }],
    exchanges: [
      {
        index: 0,
        at: 0,
        purpose: 'session',
        method: 'POST',
        url: `http://h/start?x=${HOSTILE}`,
        request: { session: { id: HOSTILE } },
        response: {
          status: 200,
          contentType: `text/plain${HOSTILE}`,
          body: `not json ${HOSTILE}`,
          truncated: false,
          durationMs: 3,
        },
        failure: { kind: 'status', message: HOSTILE },
        issues: [{ severity: 'error', path: HOSTILE, message: HOSTILE }],
      },
    ],
  };

  it.each([
    ['plain', {}],
    ['verbose and coloured', { verbose: true, color: true }],
  ])('when %s, then no control character of the app reaches the output', (_name, options) => {
    const text = renderTranscript(transcript, options);
    // Our own colours are the only escapes allowed: drop them, then nothing raw may remain.
    // eslint-disable-next-line no-control-regex -- as above
    const withoutOurColours = text.replace(/\u001b\[\d+m/g, '');
    expect(withoutOurColours).not.toMatch(RAW_CONTROL);
    expect(text).toContain('Tropo says "\\x1b[2J\\x1b[H\\rOK: the session ended normally');
    // The forged verdict stays inside its line: the only line that starts with a verdict is ours.
    const verdicts = withoutOurColours.split('\n').filter((l) => /^(OK|FAILED)/.test(l));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(/^FAILED: the app failed: /);
  });
});

describe('tropo-app simulate with an app that says control characters', () => {
  it('when the app answers a say with ESC and CR, then the printed transcript shows them escaped', async () => {
    const post: PostJson = () =>
      Promise.resolve({
        ok: true,
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ tropo: [{ say: [{ value: HOSTILE }] }, { hangup: null }] }),
        truncated: false,
        durationMs: 1,
      });
    const io = memoryIO();
    const code = await createSimulateCommand({ post })(['--url', 'http://127.0.0.1:9/start'], io);
    expect(code).toBe(0);
    expect(io.out()).not.toMatch(RAW_CONTROL);
    expect(io.out()).toContain('\\x1b[2J');
    expect(io.out().trimEnd().split('\n').pop()).toMatch(/^OK: the session ended normally/);
    expect(
      io
        .out()
        .split('\n')
        .filter((l) => l.startsWith('OK:')),
    ).toHaveLength(1);
  });
});
