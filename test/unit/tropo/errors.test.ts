/** Every error rule: one failing document each, with the exact path and a message a person understands. */
import { MAX_ISSUES, validateDocument } from '../../../src/tropo';
import { errorsOf } from '../../helpers/tropo';

const ask = (extra: object = {}) => ({
  ask: { say: { value: 'Zip?' }, choices: { value: '[5 DIGITS]' }, ...extra },
});

/** [what is wrong, the document's verbs, the path of the one error, a pattern its message matches] */
const elementCases: [string, unknown[], string, RegExp][] = [
  // Element shape.
  ['an element is not an object', ['say'], 'tropo[0]', /expected a verb.*got "say"/],
  ['an element is null', [null], 'tropo[0]', /got null/],
  ['an element is an empty object', [{}], 'tropo[0]', /empty object/],
  [
    'an element holds two verbs',
    [{ say: { value: 'x' }, hangup: null }],
    'tropo[0]',
    /exactly one verb/,
  ],
  [
    'an element has an unknown verb',
    [{ play: {} }],
    'tropo[0].play',
    /unknown verb "play"; the verbs are answer, ask/,
  ],
  [
    'a verb name has the wrong case',
    [{ StartRecording: { url: 'x' } }],
    'tropo[0].StartRecording',
    /did you mean "startRecording"/,
  ],
  [
    'a field is used as a verb (Java/Ruby choices())',
    [{ choices: { value: '1' } }],
    'tropo[0].choices',
    /"choices" is not a verb/,
  ],
  [
    'machineDetection is used as a verb (Node)',
    [{ machineDetection: true }],
    'tropo[0].machineDetection',
    /field of call and transfer/,
  ],
  [
    'a verb key is __proto__',
    [JSON.parse('{"__proto__":{"value":"x"}}')],
    'tropo[0].__proto__',
    /unknown verb "__proto__"/,
  ],

  // Missing required fields.
  [
    'ask has no choices',
    [{ ask: { say: { value: 'x' } } }],
    'tropo[0].ask.choices',
    /^missing required field "choices"$/,
  ],
  [
    'ask choices have no grammar',
    [{ ask: { say: { value: 'x' }, choices: { mode: 'dtmf' } } }],
    'tropo[0].ask.choices.value',
    /missing required field "value"/,
  ],
  [
    'a say item has no value',
    [{ say: [{ value: 'a' }, { voice: 'kate' }] }],
    'tropo[0].say[1].value',
    /missing required field "value"/,
  ],
  [
    'a single say object has no value',
    [{ say: { voice: 'kate' } }],
    'tropo[0].say.value',
    /missing required field "value"/,
  ],
  ['call has no to', [{ call: { from: '1' } }], 'tropo[0].call.to', /missing required field "to"/],
  [
    'message has no say',
    [{ message: { to: '1' } }],
    'tropo[0].message.say',
    /missing required field "say"/,
  ],
  [
    'message has no to',
    [{ message: { say: { value: 'x' } } }],
    'tropo[0].message.to',
    /missing required field "to"/,
  ],
  [
    'record has no url',
    [{ record: { say: { value: 'x' } } }],
    'tropo[0].record.url',
    /missing required field "url"/,
  ],
  [
    'startRecording has no url',
    [{ startRecording: {} }],
    'tropo[0].startRecording.url',
    /missing required field "url"/,
  ],
  [
    'a recording url object has no url',
    [{ record: { url: { username: 'u' } } }],
    'tropo[0].record.url.url',
    /missing required field "url"/,
  ],
  [
    'redirect has no to',
    [{ redirect: { name: 'r' } }],
    'tropo[0].redirect.to',
    /missing required field "to"/,
  ],
  [
    'wait has no milliseconds',
    [{ wait: {} }],
    'tropo[0].wait.milliseconds',
    /missing required field "milliseconds"/,
  ],
  [
    'on has no event',
    [{ on: { next: '/n' } }],
    'tropo[0].on.event',
    /missing required field "event"/,
  ],
  [
    'the second handler of an on array has no event',
    [{ on: [{ event: 'a', next: '/a' }, { next: '/n' }] }],
    'tropo[0].on[1].event',
    /missing required field "event"/,
  ],
  [
    'conference has no id',
    [{ conference: { mute: true } }],
    'tropo[0].conference.id',
    /missing required field "id"/,
  ],
  [
    'a transcription has no url',
    [{ record: { url: 'http://a', transcription: { id: '1' } } }],
    'tropo[0].record.transcription.url',
    /missing required field "url"/,
  ],
  [
    'machineDetection has no introduction',
    [{ call: { to: '1', machineDetection: { voice: 'kate' } } }],
    'tropo[0].call.machineDetection.introduction',
    /missing required field "introduction"/,
  ],
  [
    'joinPrompt has no value',
    [{ conference: { id: 'a', joinPrompt: { voice: 'kate' } } }],
    'tropo[0].conference.joinPrompt.value',
    /missing required field "value"/,
  ],
  [
    'a connect ask inside transfer has no choices',
    [
      {
        transfer: {
          to: '1',
          on: [{ event: 'ring' }, { event: 'connect', ask: { say: { value: 'x' } } }],
        },
      },
    ],
    'tropo[0].transfer.on[1].ask.choices',
    /missing required field "choices"/,
  ],

  // Wrong types.
  [
    'a say value is a number',
    [{ say: { value: 5 } }],
    'tropo[0].say.value',
    /^expected a string; got 5$/,
  ],
  [
    'bargein is a string',
    [ask({ bargein: 'yes' })],
    'tropo[0].ask.bargein',
    /^expected true or false; got "yes"$/,
  ],
  [
    'a SIP header value is a number',
    [{ call: { to: '1', headers: { 'x-n': 1 } } }],
    'tropo[0].call.headers["x-n"]',
    /expected a string; got 1/,
  ],
  [
    'allowSignals is a number',
    [{ wait: { milliseconds: 1, allowSignals: 3 } }],
    'tropo[0].wait.allowSignals',
    /expected a string or an array; got 3/,
  ],
  [
    'to is a number',
    [{ call: { to: 14155551212 } }],
    'tropo[0].call.to',
    /expected an array or a string; got 14155551212/,
  ],
  [
    'redirect to is an array',
    [{ redirect: { to: ['a'] } }],
    'tropo[0].redirect.to',
    /expected a string; got an array/,
  ],
  [
    'say is a string',
    [{ say: 'Hello' }],
    'tropo[0].say',
    /expected an array or an object; got "Hello"/,
  ],
  [
    'an empty-body verb has a string body',
    [{ hangup: 'bye' }],
    'tropo[0].hangup',
    /^expected an object, null or "null"; got "bye"$/,
  ],
  [
    'a recording url is a number',
    [{ record: { url: 5 } }],
    'tropo[0].record.url',
    /expected an array, a string or an object; got 5/,
  ],
  [
    'joinPrompt is a string',
    [{ conference: { id: 'a', joinPrompt: 'hi' } }],
    'tropo[0].conference.joinPrompt',
    /expected true or false or an object; got "hi"/,
  ],
  [
    'generalLogSecurity is an object',
    [{ generalLogSecurity: { value: 'none' } }],
    'tropo[0].generalLogSecurity',
    /expected a string; got an object/,
  ],

  // Values outside their allowed set.
  [
    'choices.mode is unknown',
    [ask({ choices: { value: '1', mode: 'touch' } })],
    'tropo[0].ask.choices.mode',
    /^must be one of "speech", "dtmf", "any"; got "touch"$/,
  ],
  [
    'a channel is unknown',
    [{ call: { to: '1', channel: 'VIDEO' } }],
    'tropo[0].call.channel',
    /must be one of "VOICE", "TEXT"; got "VIDEO"/,
  ],
  [
    'a network is unknown',
    [{ message: { to: '1', say: { value: 'x' }, network: 'FAX' } }],
    'tropo[0].message.network',
    /must be one of "PSTN", .*got "FAX"/,
  ],
  [
    'generalLogSecurity is unknown',
    [{ generalLogSecurity: 'all' }],
    'tropo[0].generalLogSecurity',
    /must be one of "none", "suppress"; got "all"/,
  ],
  [
    'promptLogSecurity is unknown',
    [{ say: { value: 'x', promptLogSecurity: 'mask' } }],
    'tropo[0].say.promptLogSecurity',
    /must be one of "none", "suppress"/,
  ],
  [
    'asrLogSecurity is unknown',
    [ask({ asrLogSecurity: 'hide' })],
    'tropo[0].ask.asrLogSecurity',
    /must be one of "none", "suppress", "mask"/,
  ],
  [
    'a transcription emailFormat is unknown',
    [{ record: { url: 'http://a', transcription: [{ url: 'mailto:a', emailFormat: 'html' }] } }],
    'tropo[0].record.transcription[0].emailFormat',
    /must be one of "plain", "encoded", "omit"/,
  ],
  [
    'startRecording transcriptionEmailFormat is unknown',
    [{ startRecording: { url: 'http://a', transcriptionEmailFormat: 'rich' } }],
    'tropo[0].startRecording.transcriptionEmailFormat',
    /must be one of "plain"/,
  ],
  [
    'a record format is unknown',
    [{ record: { url: 'http://a', format: 'audio/ogg' } }],
    'tropo[0].record.format',
    /must be one of "audio\/wav", "audio\/mp3", "audio\/au"; got "audio\/ogg"/,
  ],
  [
    'a record method is unknown',
    [{ record: { url: 'http://a', method: 'GET' } }],
    'tropo[0].record.method',
    /must be one of "POST", "PUT", "s3"; got "GET"/,
  ],
  [
    'a recording url object method is unknown',
    [{ startRecording: { url: [{ url: 'http://a', method: 'PATCH' }] } }],
    'tropo[0].startRecording.url[0].method',
    /must be one of "POST", "PUT", "s3"/,
  ],
  [
    'a terminator is two keys',
    [{ conference: { id: 'a', terminator: '##' } }],
    'tropo[0].conference.terminator',
    /^must be a single DTMF key \(0-9, \* or #\); got "##"$/,
  ],

  // Ranges and whole numbers.
  [
    'minConfidence is over 100',
    [ask({ minConfidence: 101 })],
    'tropo[0].ask.minConfidence',
    /^must be at most 100; got 101$/,
  ],
  [
    'minConfidence is negative',
    [ask({ minConfidence: -1 })],
    'tropo[0].ask.minConfidence',
    /^must not be negative; got -1$/,
  ],
  [
    'minConfidence is a fraction',
    [ask({ minConfidence: 30.5 })],
    'tropo[0].ask.minConfidence',
    /^must be a whole number; got 30.5$/,
  ],
  ['attempts is 0', [ask({ attempts: 0 })], 'tropo[0].ask.attempts', /^must be at least 1; got 0$/],
  [
    'attempts is a fraction',
    [ask({ attempts: 1.5 })],
    'tropo[0].ask.attempts',
    /whole number; got 1.5/,
  ],
  [
    'a timeout is negative',
    [ask({ timeout: -1 })],
    'tropo[0].ask.timeout',
    /^must not be negative; got -1$/,
  ],
  [
    'a record maxTime is negative',
    [{ record: { url: 'http://a', maxTime: -30 } }],
    'tropo[0].record.maxTime',
    /must not be negative/,
  ],
  [
    'wait milliseconds is a fraction',
    [{ wait: { milliseconds: 2.5 } }],
    'tropo[0].wait.milliseconds',
    /whole number; got 2.5/,
  ],
  [
    'wait milliseconds is negative',
    [{ wait: { milliseconds: -5 } }],
    'tropo[0].wait.milliseconds',
    /must not be negative/,
  ],
  [
    'ringRepeat is negative',
    [{ transfer: { to: '1', ringRepeat: -1 } }],
    'tropo[0].transfer.ringRepeat',
    /must not be negative/,
  ],
  [
    'a conference id is a fraction',
    [{ conference: { id: 1.5 } }],
    'tropo[0].conference.id',
    /expected a string or a whole number; got 1.5/,
  ],

  // Empty values.
  ['to is an empty string', [{ call: { to: '' } }], 'tropo[0].call.to', /^must not be empty$/],
  [
    'to is an empty array',
    [{ transfer: { to: [] } }],
    'tropo[0].transfer.to',
    /^must have at least 1 item$/,
  ],
  [
    'one of several destinations is empty',
    [{ call: { to: ['1', ''] } }],
    'tropo[0].call.to[1]',
    /must not be empty/,
  ],
  ['say is an empty array', [{ say: [] }], 'tropo[0].say', /must have at least 1 item/],
  ['on is an empty array', [{ on: [] }], 'tropo[0].on', /must have at least 1 item/],
  [
    'a next URL is empty',
    [{ on: { event: 'continue', next: '' } }],
    'tropo[0].on.next',
    /must not be empty/,
  ],
  [
    'an ask grammar is empty',
    [ask({ choices: { value: '' } })],
    'tropo[0].ask.choices.value',
    /must not be empty/,
  ],
  [
    'a conference id is empty',
    [{ conference: { id: '' } }],
    'tropo[0].conference.id',
    /must not be empty/,
  ],
];

describe('errors', () => {
  it.each(elementCases)(
    'when %s, then one error names the place',
    (_what, verbs, path, message) => {
      const errors = errorsOf({ tropo: verbs });
      expect(errors.map((e) => e.path)).toEqual([path]);
      expect(errors[0]?.message).toMatch(message);
    },
  );

  it.each([
    ['the document is null', null, '', /expected a Tropo document.*got null/],
    ['the document is an array', [{ say: { value: 'x' } }], '', /got an array/],
    ['the document is a string', '{"tropo":[]}', '', /got "\{\\"tropo\\":\[\]\}"/],
    ['the tropo key is missing', { Tropo: [] }, 'tropo', /missing required field "tropo"/],
    [
      'tropo is not an array',
      { tropo: { say: { value: 'x' } } },
      'tropo',
      /expected an array of verbs; got an object/,
    ],
  ])('when %s, then the document is rejected at its root', (_what, input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe(path);
    expect(errors[0]?.message).toMatch(message);
  });

  it('when a document has several problems, then every one is reported in document order', () => {
    const errors = errorsOf({
      tropo: [
        { say: { value: 1 } },
        { ask: { say: [{ value: 'a' }, { value: 2 }], choices: { value: '1', mode: 'x' } } },
        { hangup: 5 },
        { wait: { milliseconds: -1, allowSignals: 7 } },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual([
      'tropo[0].say.value',
      'tropo[1].ask.choices.mode',
      'tropo[1].ask.say[1].value',
      'tropo[2].hangup',
      'tropo[3].wait.milliseconds',
      'tropo[3].wait.allowSignals',
    ]);
  });

  it('when a verb has both an unknown key and an error, then the error is reported and the key warned about', () => {
    const validation = validateDocument({ tropo: [{ record: { foo: 1, maxTime: -1 } }] });
    expect(validation.ok).toBe(false);
    expect(validation.issues).toEqual([
      {
        path: 'tropo[0].record.maxTime',
        message: 'must not be negative; got -1',
        severity: 'error',
      },
      {
        path: 'tropo[0].record.foo',
        message: 'unknown key "foo" is not part of the WebAPI and is ignored',
        severity: 'warning',
      },
      { path: 'tropo[0].record.url', message: 'missing required field "url"', severity: 'error' },
    ]);
  });

  it('when a document has more errors than the cap, then the list stops with a note', () => {
    const issues = validateDocument({ tropo: new Array(MAX_ISSUES + 50).fill(7) }).issues;
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[MAX_ISSUES]).toEqual({
      path: 'tropo',
      message: `too many problems: only the first ${MAX_ISSUES} are listed`,
      severity: 'error',
    });
  });
});
