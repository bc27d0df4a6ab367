/** Tests for transcript recording: secret redaction, log-suppressed prompt text, input masks, and rendering. */
import {
  REDACTED,
  SUPPRESSED,
  clockOf,
  maskInput,
  renderTranscript,
  suppressDocumentText,
  type Transcript,
} from '../../../src/simulator';
import { TranscriptRecorder } from '../../../src/simulator/transcript';

describe('TranscriptRecorder', () => {
  it('when a line, a URL or a body holds a known secret, then it is recorded redacted', () => {
    const recorder = new TranscriptRecorder(['tok-123']);
    recorder.line(1.23, 'tropo', 'token tok-123 seen');
    const exchange = recorder.request(0, 'session', 'http://h/start?key=abc', {
      session: { parameters: { token: 'tok-123', other: 'x tok-123' } },
    });
    recorder.response(exchange, {
      status: 200,
      contentType: null,
      body: '{"password":"pw1","x":"tok-123"}',
      truncated: false,
      durationMs: 1,
    });
    const all = JSON.stringify({ lines: recorder.lines, exchanges: recorder.exchanges });
    expect(all).not.toContain('tok-123');
    expect(all).not.toContain('pw1');
    expect(all).not.toContain('abc');
    expect(recorder.lines[0]).toEqual({
      at: 1.2,
      actor: 'tropo',
      level: 'info',
      text: `token ${REDACTED} seen`,
    });
  });
});

describe('suppressDocumentText', () => {
  it('when nothing asks for suppression, then it returns null so the body is kept as is', () => {
    expect(suppressDocumentText({ tropo: [{ say: { value: 'hi' } }] }, false)).toBeNull();
    expect(suppressDocumentText('not a document', true)).toBeNull();
  });

  it('when a verb has promptLogSecurity suppress, then only its prompt values are hidden', () => {
    const doc = {
      tropo: [
        {
          ask: {
            promptLogSecurity: 'SUPPRESS',
            choices: { value: '[4 DIGITS]' },
            say: [{ value: 'PIN?' }],
          },
        },
        { say: { value: 'open' } },
      ],
    };
    expect(suppressDocumentText(doc, false)).toEqual({
      tropo: [
        {
          ask: {
            promptLogSecurity: 'SUPPRESS',
            choices: { value: SUPPRESSED },
            say: [{ value: SUPPRESSED }],
          },
        },
        { say: { value: 'open' } },
      ],
    });
  });

  it('when generalLogSecurity switches, then prompts are hidden between suppress and none', () => {
    const doc = {
      tropo: [
        { say: { value: 'a' } },
        { generalLogSecurity: 'suppress' },
        { say: [{ value: 'b' }] },
        { message: { to: '+1', say: { value: 'c', media: ['http://m/1.png'] } } },
        { generalLogSecurity: 'none' },
        { say: { value: 'd' } },
      ],
    };
    const hidden = suppressDocumentText(doc, false) as { tropo: unknown[] };
    expect(JSON.stringify(hidden.tropo)).toBe(
      JSON.stringify([
        { say: { value: 'a' } },
        { generalLogSecurity: 'suppress' },
        { say: [{ value: SUPPRESSED }] },
        { message: { to: '+1', say: { value: SUPPRESSED, media: SUPPRESSED } } },
        { generalLogSecurity: 'none' },
        { say: { value: 'd' } },
      ]),
    );
    expect(suppressDocumentText({ tropo: [{ say: { value: 'x' } }] }, true)).toEqual({
      tropo: [{ say: { value: SUPPRESSED } }],
    });
  });
});

describe('maskInput', () => {
  it('when masked, then X hides, other template characters show, and past the template all is hidden', () => {
    expect(maskInput('123456', 'XXDD')).toBe('**34**');
    expect(maskInput('42', undefined)).toBe('**');
    expect(maskInput('12-34', 'XXD-D')).toBe('**-34');
  });
});

describe('renderTranscript', () => {
  const transcript: Transcript = {
    sessionId: 'abc',
    kind: 'voice',
    startUrl: 'http://h/start',
    startedAt: '2024-01-01T00:00:00.000Z',
    sessionDuration: 75,
    documents: 1,
    results: 0,
    outcome: {
      status: 'app-failed',
      reason: 'the app failed: boom',
      state: 'DISCONNECTED',
      failures: ['boom'],
    },
    lines: [
      {
        at: 0,
        actor: 'tropo',
        level: 'info',
        text: 'Tropo POSTs the session to /start',
        exchange: 0,
      },
      { at: 75.25, actor: 'app', level: 'error', text: 'The app failed: boom', exchange: 0 },
    ],
    exchanges: [
      {
        index: 0,
        at: 0,
        purpose: 'session',
        method: 'POST',
        url: 'http://h/start',
        request: { session: { id: 'abc' } },
        response: {
          status: 500,
          contentType: 'text/plain',
          body: 'boom',
          truncated: false,
          durationMs: 3,
        },
        failure: { kind: 'status', message: 'the app answered HTTP 500' },
      },
    ],
  };

  it('when plain, then there are no escape codes and each line has its simulated time', () => {
    const text = renderTranscript(transcript);
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('[0:00.0] Tropo POSTs the session to /start');
    expect(text).toContain('[1:15.3] The app failed: boom');
    expect(text.trimEnd().split('\n').pop()).toBe(
      'FAILED: the app failed: boom (1 document, 0 results)',
    );
    expect(text).not.toContain('"session"');
  });

  it('when coloured and verbose, then escape codes appear and each exchange is shown once', () => {
    const text = renderTranscript(transcript, { color: true, verbose: true });
    expect(text).toContain('\u001b[31m');
    expect(text.match(/→ POST http:\/\/h\/start/g)).toHaveLength(1);
    expect(text).toContain('← 500 text/plain in 3 ms');
    expect(text).toContain('✗ status: the app answered HTTP 500');
  });

  it('when a time is over a minute, then it reads as minutes and seconds', () => {
    expect(clockOf(0)).toBe('[0:00.0]');
    expect(clockOf(61.5)).toBe('[1:01.5]');
  });
});
