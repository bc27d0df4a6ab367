/** Every verb: what its builder emits (canonical, valid, its own normal form) and how a representative wire form is read. */
import {
  answer,
  ask,
  call,
  conference,
  document,
  generalLogSecurity,
  hangup,
  message,
  on,
  record,
  redirect,
  reject,
  say,
  startRecording,
  stopRecording,
  transfer,
  validateDocument,
  wait,
  type Verb,
} from '../../../src/tropo';
import { expectValid, normalise } from '../../helpers/tropo';

/** A builder's output must be valid without any warning about its shape, and be its own normal form. */
function expectCanonical(verb: Verb): void {
  const validation = expectValid(document([verb]));
  expect(validation.document.tropo).toEqual([verb]);
  expect(validation.issues.filter((issue) => /key/.test(issue.message))).toEqual([]);
}

describe('verb builders', () => {
  it('when building answer, then the body is {} or carries the headers', () => {
    expect(answer()).toEqual({ answer: {} });
    const withHeaders = answer({ headers: { 'P-Header': 'value' } });
    expect(withHeaders).toEqual({ answer: { headers: { 'P-Header': 'value' } } });
    expectCanonical(answer());
    expectCanonical(withHeaders);
  });

  it('when building ask with a string prompt, then say becomes a list of items', () => {
    const verb = ask({
      say: 'Enter your zip',
      choices: { value: '[5 DIGITS]', mode: 'dtmf', terminator: '#' },
      attempts: 3,
      timeout: 5.5,
      name: 'zip',
      voice: undefined,
    });
    expect(verb).toEqual({
      ask: {
        say: [{ value: 'Enter your zip' }],
        choices: { value: '[5 DIGITS]', mode: 'dtmf', terminator: '#' },
        attempts: 3,
        timeout: 5.5,
        name: 'zip',
      },
    });
    expect('voice' in (verb as { ask: object }).ask).toBe(false);
    expectCanonical(verb);
  });

  it('when building call with one number, then to is a list', () => {
    const verb = call({ to: '+14155551212', from: '+14155550000', machineDetection: true });
    expect(verb).toEqual({
      call: { to: ['+14155551212'], from: '+14155550000', machineDetection: true },
    });
    expectCanonical(verb);
  });

  it('when building conference with a numeric id, then the id is a string', () => {
    const verb = conference({ id: 1234, joinPrompt: { value: 'joined' }, terminator: '#' });
    expect(verb).toEqual({
      conference: { id: '1234', joinPrompt: { value: 'joined' }, terminator: '#' },
    });
    expectCanonical(verb);
  });

  it('when building generalLogSecurity, then the body is the bare string', () => {
    expect(generalLogSecurity('suppress')).toEqual({ generalLogSecurity: 'suppress' });
    expectCanonical(generalLogSecurity('none'));
  });

  it('when building hangup, reject and stopRecording, then their bodies are {}', () => {
    expect([hangup(), reject(), stopRecording()]).toEqual([
      { hangup: {} },
      { reject: {} },
      { stopRecording: {} },
    ]);
    for (const verb of [hangup(), reject(), stopRecording()]) expectCanonical(verb);
  });

  it('when building message, then say and to are lists', () => {
    const verb = message({
      say: { value: 'Hi', media: 'http://example.com/1.jpg' },
      to: '+14155551212',
      network: 'MMS',
      channel: 'TEXT',
    });
    expect(verb).toEqual({
      message: {
        say: [{ value: 'Hi', media: 'http://example.com/1.jpg' }],
        to: ['+14155551212'],
        network: 'MMS',
        channel: 'TEXT',
      },
    });
    expectCanonical(verb);
  });

  it('when building on, then its say is a list', () => {
    const verb = on({ event: 'continue', next: '/next', say: 'Please hold' });
    expect(verb).toEqual({
      on: { event: 'continue', next: '/next', say: [{ value: 'Please hold' }] },
    });
    expectCanonical(verb);
  });

  it('when building record with a url and credentials, then url is a list of objects', () => {
    const verb = record({
      url: { url: 'ftp://example.com/up', username: 'u', password: 'p', method: 'PUT' },
      say: 'Leave a message',
      choices: { terminator: '#' },
      transcription: { url: 'mailto:a@example.com', id: 't1', emailFormat: 'plain' },
      maxTime: 60,
    });
    expect(verb).toEqual({
      record: {
        url: [{ url: 'ftp://example.com/up', username: 'u', password: 'p', method: 'PUT' }],
        say: [{ value: 'Leave a message' }],
        choices: { terminator: '#' },
        transcription: [{ url: 'mailto:a@example.com', id: 't1', emailFormat: 'plain' }],
        maxTime: 60,
      },
    });
    expectCanonical(verb);
  });

  it('when building redirect, then it carries the destination', () => {
    const verb = redirect({ to: 'sip:1234@example.com', name: 'redir' });
    expect(verb).toEqual({ redirect: { to: 'sip:1234@example.com', name: 'redir' } });
    expectCanonical(verb);
  });

  it('when building say from a string, an item or a list, then the body is a list of items', () => {
    expect(say('Hello')).toEqual({ say: [{ value: 'Hello' }] });
    expect(say({ value: 'Hello', voice: 'allison' })).toEqual({
      say: [{ value: 'Hello', voice: 'allison' }],
    });
    expect(say(['One', { value: 'Two', as: 'DIGITS' }])).toEqual({
      say: [{ value: 'One' }, { value: 'Two', as: 'DIGITS' }],
    });
    expectCanonical(say(['One', { value: 'Two', allowSignals: ['exit'] }]));
  });

  it('when building startRecording with a string url, then url is a list of objects', () => {
    const verb = startRecording({ url: 'http://example.com/up', format: 'audio/mp3' });
    expect(verb).toEqual({
      startRecording: { url: [{ url: 'http://example.com/up' }], format: 'audio/mp3' },
    });
    expectCanonical(verb);
  });

  it('when building transfer with handlers, then to and on are lists', () => {
    const verb = transfer({
      to: 'sip:a@example.com',
      choices: { terminator: '*' },
      on: [
        { event: 'ring', say: 'http://example.com/hold.mp3' },
        { event: 'connect', ask: { say: 'Press 1', choices: { value: '1' } } },
      ],
    });
    expect(verb).toEqual({
      transfer: {
        to: ['sip:a@example.com'],
        choices: { terminator: '*' },
        on: [
          { event: 'ring', say: [{ value: 'http://example.com/hold.mp3' }] },
          { event: 'connect', ask: { say: [{ value: 'Press 1' }], choices: { value: '1' } } },
        ],
      },
    });
    expectCanonical(verb);
  });

  it('when building wait, then it carries milliseconds and signals', () => {
    const verb = wait({ milliseconds: 5000, allowSignals: 'exit' });
    expect(verb).toEqual({ wait: { milliseconds: 5000, allowSignals: 'exit' } });
    expectCanonical(verb);
  });

  it('when wrapping verbs in a document, then the list is copied', () => {
    const verbs: Verb[] = [say('Hi'), hangup()];
    const doc = document(verbs);
    verbs.push(reject());
    expect(doc).toEqual({ tropo: [{ say: [{ value: 'Hi' }] }, { hangup: {} }] });
  });
});

describe('wire forms of each verb', () => {
  it('when reading answer with headers (PHP/Java), then the headers are kept', () => {
    expect(normalise({ answer: { headers: { 'P-Header': 'value goes here' } } })).toEqual([
      { answer: { headers: { 'P-Header': 'value goes here' } } },
    ]);
  });

  it('when reading a full ask (Node), then every field is kept and say becomes a list', () => {
    const body = {
      choices: { value: '[5 DIGITS]', mode: 'speech', terminator: '#' },
      say: { value: 'Please say your account number.' },
      attempts: 3,
      bargein: true,
      timeout: 30,
      interdigitTimeout: 5,
      minConfidence: 30,
      sensitivity: 0.5,
      speechCompleteTimeout: 0.5,
      speechIncompleteTimeout: 0.5,
      recognizer: 'en-us',
      voice: 'allison',
      name: 'account',
      required: true,
      allowSignals: '*',
      promptLogSecurity: 'suppress',
      asrLogSecurity: 'mask',
      maskTemplate: 'XXDD-',
    };
    expect(normalise({ ask: body })).toEqual([
      { ask: { ...body, say: [{ value: 'Please say your account number.' }] } },
    ]);
  });

  it('when reading call with every documented field, then to becomes a list', () => {
    const body = {
      to: 'tel:+14155551212;postd=1234pp56;pause=5s',
      from: '+14155550000',
      network: 'PSTN',
      channel: 'VOICE',
      timeout: 30,
      answerOnMedia: false,
      headers: { 'x-h': 'v' },
      machineDetection: { introduction: 'Hello there', voice: 'allison' },
      voice: 'allison',
      allowSignals: ['exit', 'stop'],
      name: 'c',
      required: true,
      callbackUrl: 'http://example.com/cdr',
      promptLogSecurity: 'none',
      label: 'lbl',
    };
    expect(normalise({ call: body })).toEqual([{ call: { ...body, to: [body.to] } }]);
  });

  it('when reading conference with legacy join/leave handlers (Ruby), then on is a list', () => {
    expect(
      normalise({
        conference: {
          id: 'room',
          mute: false,
          playTones: true,
          terminator: '#',
          interdigitTimeout: 5,
          leavePrompt: false,
          on: { event: 'join', say: { value: 'Welcome' } },
        },
      }),
    ).toEqual([
      {
        conference: {
          id: 'room',
          mute: false,
          playTones: true,
          terminator: '#',
          interdigitTimeout: 5,
          leavePrompt: false,
          on: [{ event: 'join', say: [{ value: 'Welcome' }] }],
        },
      },
    ]);
  });

  it('when reading generalLogSecurity in upper case, then it is lower-cased', () => {
    expect(normalise({ generalLogSecurity: 'SUPPRESS' })).toEqual([
      { generalLogSecurity: 'suppress' },
    ]);
  });

  it('when reading hangup with 2010 SIP headers, then the headers are kept', () => {
    expect(normalise({ hangup: { headers: { Reason: 'done' } } })).toEqual([
      { hangup: { headers: { Reason: 'done' } } },
    ]);
  });

  it('when reading the RapidSMS message, then say and to become lists', () => {
    expect(
      normalise({
        message: {
          to: '15555551212',
          say: { value: 'Sorry' },
          from: '+15555551212',
          network: 'SMS',
          channel: 'TEXT',
        },
      }),
    ).toEqual([
      {
        message: {
          to: ['15555551212'],
          say: [{ value: 'Sorry' }],
          from: '+15555551212',
          network: 'SMS',
          channel: 'TEXT',
        },
      },
    ]);
  });

  it('when reading on with say, next and post (Python), then say becomes a list', () => {
    expect(
      normalise({
        on: {
          say: { value: 'Please hold.' },
          post: 'http://foo.com/bar',
          event: 'continue',
          next: '/x',
        },
      }),
    ).toEqual([
      {
        on: {
          say: [{ value: 'Please hold.' }],
          post: 'http://foo.com/bar',
          event: 'continue',
          next: '/x',
        },
      },
    ]);
  });

  it('when reading record in the 2010 form (string url, sibling credentials), then they are folded', () => {
    expect(
      normalise({
        record: {
          url: 'ftp://example.com/up',
          username: 'u',
          password: 'p',
          method: 'POST',
          say: [{ value: 'Speak after the beep', event: 'timeout' }, { value: 'Speak' }],
          beep: true,
          format: 'audio/wav',
          maxSilence: 5,
          asyncUpload: true,
          minConfidence: 50,
          sensitivity: 0.3,
        },
      }),
    ).toEqual([
      {
        record: {
          url: [{ url: 'ftp://example.com/up', username: 'u', password: 'p', method: 'POST' }],
          say: [{ value: 'Speak after the beep', event: 'timeout' }, { value: 'Speak' }],
          beep: true,
          format: 'audio/wav',
          maxSilence: 5,
          asyncUpload: true,
          minConfidence: 50,
          sensitivity: 0.3,
        },
      },
    ]);
  });

  it('when reading redirect, then it is kept as is', () => {
    expect(normalise({ redirect: { to: '6021234567', name: 'fakeredirectname' } })).toEqual([
      { redirect: { to: '6021234567', name: 'fakeredirectname' } },
    ]);
  });

  it('when reading reject as null (Python), then the body is {}', () => {
    expect(normalise({ reject: null })).toEqual([{ reject: {} }]);
  });

  it('when reading say with every item field, then it is kept', () => {
    const item = {
      value: 'Hello',
      as: 'DIGITS',
      voice: 'carmen',
      name: 's',
      required: true,
      allowSignals: '',
      promptLogSecurity: 'none',
      media: ['http://example.com/1.jpg', 'inline text'],
    };
    expect(normalise({ say: item })).toEqual([{ say: [item] }]);
  });

  it('when reading startRecording with transcription fields, then they are kept', () => {
    expect(
      normalise({
        startRecording: {
          url: '/receive_recording.py',
          transcriptionOutURI: 'mailto:a@b.com',
          transcriptionID: '1',
          transcriptionEmailFormat: 'encoded',
          transcriptionLanguage: 'en-us',
        },
      }),
    ).toEqual([
      {
        startRecording: {
          url: [{ url: '/receive_recording.py' }],
          transcriptionOutURI: 'mailto:a@b.com',
          transcriptionID: '1',
          transcriptionEmailFormat: 'encoded',
          transcriptionLanguage: 'en-us',
        },
      },
    ]);
  });

  it('when reading stopRecording as "null" (PHP), then the body is {}', () => {
    expect(normalise({ stopRecording: 'null' })).toEqual([{ stopRecording: {} }]);
  });

  it('when reading transfer (Python), then to becomes a list', () => {
    expect(
      normalise({
        transfer: { to: '6021234567', callbackUrl: 'http://x/cdr', label: 'l', ringRepeat: 2 },
      }),
    ).toEqual([
      { transfer: { to: ['6021234567'], callbackUrl: 'http://x/cdr', label: 'l', ringRepeat: 2 } },
    ]);
  });

  it('when reading wait, then it is kept as is', () => {
    expect(normalise({ wait: { milliseconds: 0 } })).toEqual([{ wait: { milliseconds: 0 } }]);
  });

  it('when validating, then the input is never modified', () => {
    const input = { tropo: [{ say: { value: 'x', extra: 1 } }, { on: [{ event: 'continue' }] }] };
    const copy = structuredClone(input);
    validateDocument(input);
    expect(input).toEqual(copy);
  });
});
