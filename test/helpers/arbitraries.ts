/** fast-check arbitraries for the WebAPI library's property tests: random builder calls, and hostile JSON. */
import fc from 'fast-check';
import {
  answer,
  ask,
  call,
  CHANNELS,
  conference,
  generalLogSecurity,
  hangup,
  message,
  NETWORKS,
  on,
  record,
  redirect,
  reject,
  say,
  startRecording,
  stopRecording,
  transfer,
  VERB_NAMES,
  wait,
  type Verb,
} from '../../src/tropo';

// ---------------------------------------------------------------------------------------------
// Random builder calls.

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 6, unit: 'binary' }));
const word = fc.string({ minLength: 1, maxLength: 12 });
const bool = fc.boolean();
// -0 reads back as 0 through JSON, so adding 0 keeps the comparison about real differences.
const seconds = fc
  .double({ min: 0, max: 1e5, noNaN: true, noDefaultInfinity: true })
  .map((v) => v + 0);
const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0);
const attempts = fc.integer({ min: 1, max: 10 });
const percent = fc.integer({ min: 0, max: 100 });
const terminator = fc.constantFrom(...'0123456789*#'.split(''));
const logSecurity = fc.constantFrom('none' as const, 'suppress' as const);
const signals = fc.oneof(fc.string({ maxLength: 8 }), fc.array(word, { maxLength: 3 }));
const headers = fc.dictionary(
  word.filter((key) => key !== '__proto__'),
  text,
  { maxKeys: 3 },
);
const destinations = fc.oneof(word, fc.array(word, { minLength: 1, maxLength: 3 }));

const sayItem = fc.record(
  {
    value: text,
    event: word,
    as: fc.constantFrom('DATE', 'DIGITS', 'NUMBER'),
    voice: word,
    name: word,
    required: bool,
    allowSignals: signals,
    promptLogSecurity: logSecurity,
    media: fc.oneof(word, fc.array(word, { maxLength: 3 })),
  },
  { requiredKeys: ['value'] },
);
const sayInput = fc.oneof(
  text,
  sayItem,
  fc.array(fc.oneof(text, sayItem), { minLength: 1, maxLength: 3 }),
);

const askChoices = fc.record(
  {
    value: word,
    mode: fc.constantFrom('speech' as const, 'dtmf' as const, 'any' as const),
    terminator,
  },
  { requiredKeys: ['value'] },
);
const terminatorChoices = fc.record(
  { value: text, mode: fc.constantFrom('speech' as const, 'dtmf' as const), terminator },
  { requiredKeys: [] },
);

const askOptions = fc.record(
  {
    choices: askChoices,
    say: sayInput,
    attempts,
    bargein: bool,
    timeout: seconds,
    interdigitTimeout: seconds,
    minConfidence: percent,
    sensitivity: anyNumber,
    speechCompleteTimeout: seconds,
    speechIncompleteTimeout: seconds,
    recognizer: word,
    voice: fc.option(word, { nil: undefined }),
    name: word,
    required: bool,
    allowSignals: signals,
    promptLogSecurity: logSecurity,
    asrLogSecurity: fc.constantFrom('none' as const, 'suppress' as const, 'mask' as const),
    maskTemplate: text,
  },
  { requiredKeys: ['choices', 'say'] },
);

const onOptions = fc.record(
  {
    event: word,
    next: word,
    say: sayInput,
    ask: askOptions,
    post: word,
    name: text,
    required: bool,
  },
  { requiredKeys: ['event'] },
);
const onInputs = fc.oneof(onOptions, fc.array(onOptions, { maxLength: 2 }));

const machineDetection = fc.oneof(
  bool,
  fc.record({ introduction: text, voice: word }, { requiredKeys: ['introduction'] }),
);
const prompt = fc.oneof(bool, fc.record({ value: text, voice: word }, { requiredKeys: ['value'] }));

const recordingUrl = fc.record(
  {
    url: word,
    username: text,
    password: text,
    method: fc.constantFrom('POST' as const, 'PUT' as const, 's3' as const),
    sessionToken: text,
  },
  { requiredKeys: ['url'] },
);
const recordingUrls = fc.oneof(
  word,
  recordingUrl,
  fc.array(fc.oneof(word, recordingUrl), { minLength: 1, maxLength: 3 }),
);
const transcription = fc.record(
  {
    url: word,
    id: text,
    emailFormat: fc.constantFrom('plain' as const, 'encoded' as const, 'omit' as const),
    language: word,
  },
  { requiredKeys: ['url'] },
);
const format = fc.constantFrom('audio/wav' as const, 'audio/mp3' as const, 'audio/au' as const);

const callLike = {
  from: text,
  network: fc.constantFrom(...NETWORKS),
  channel: fc.constantFrom(...CHANNELS),
  timeout: seconds,
  answerOnMedia: bool,
  voice: word,
  name: word,
  required: bool,
  promptLogSecurity: logSecurity,
  headers,
};

/** Any verb, made by calling its builder with random options. */
export const builtVerb: fc.Arbitrary<Verb> = fc.oneof(
  fc.option(fc.record({ headers }, { requiredKeys: [] }), { nil: undefined }).map((o) => answer(o)),
  askOptions.map(ask),
  fc
    .record(
      {
        ...callLike,
        to: destinations,
        machineDetection,
        allowSignals: signals,
        callbackUrl: text,
        label: text,
      },
      { requiredKeys: ['to'] },
    )
    .map(call),
  fc
    .record(
      {
        id: fc.oneof(word, fc.integer()),
        name: text,
        mute: bool,
        playTones: bool,
        terminator,
        interdigitTimeout: seconds,
        joinPrompt: prompt,
        leavePrompt: prompt,
        allowSignals: signals,
        required: bool,
        promptLogSecurity: logSecurity,
        on: onInputs,
      },
      { requiredKeys: ['id'] },
    )
    .map(conference),
  logSecurity.map(generalLogSecurity),
  fc.constant(null).map(() => hangup()),
  fc
    .record({ ...callLike, say: sayInput, to: destinations }, { requiredKeys: ['say', 'to'] })
    .map(message),
  onOptions.map(on),
  fc
    .record(
      {
        url: recordingUrls,
        say: sayInput,
        choices: terminatorChoices,
        attempts,
        bargein: bool,
        beep: bool,
        format,
        maxSilence: seconds,
        maxTime: seconds,
        timeout: seconds,
        interdigitTimeout: seconds,
        transcription: fc.oneof(transcription, fc.array(transcription, { maxLength: 2 })),
        asyncUpload: bool,
        minConfidence: percent,
        sensitivity: anyNumber,
        voice: word,
        name: word,
        required: bool,
        allowSignals: signals,
        promptLogSecurity: logSecurity,
      },
      { requiredKeys: ['url'] },
    )
    .map(record),
  fc.record({ to: word, name: text, required: bool }, { requiredKeys: ['to'] }).map(redirect),
  fc.constant(null).map(() => reject()),
  sayInput.map(say),
  fc
    .record(
      {
        url: recordingUrls,
        format,
        asyncUpload: bool,
        transcriptionOutURI: text,
        transcriptionID: text,
        transcriptionEmailFormat: fc.constantFrom('plain' as const, 'encoded' as const),
        transcriptionLanguage: text,
      },
      { requiredKeys: ['url'] },
    )
    .map(startRecording),
  fc.constant(null).map(() => stopRecording()),
  fc
    .record(
      {
        to: destinations,
        from: text,
        timeout: seconds,
        answerOnMedia: bool,
        choices: terminatorChoices,
        ringRepeat: fc.integer({ min: 0, max: 5 }),
        on: onInputs,
        headers,
        machineDetection,
        playTones: bool,
        interdigitTimeout: seconds,
        voice: word,
        allowSignals: signals,
        name: word,
        required: bool,
        callbackUrl: text,
        promptLogSecurity: logSecurity,
        label: text,
      },
      { requiredKeys: ['to'] },
    )
    .map(transfer),
  fc
    .record({ milliseconds: fc.nat(), allowSignals: signals }, { requiredKeys: ['milliseconds'] })
    .map(wait),
);

// ---------------------------------------------------------------------------------------------
// Hostile JSON.

const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'tropo',
  'session',
  'result',
  'id',
  'sessionId',
  'actions',
  'parameters',
  'headers',
  'from',
  'to',
  'url',
  'on',
  'say',
  'value',
  'transcription',
  ...VERB_NAMES,
];

/**
 * Objects as `JSON.parse` makes them, including own `__proto__` keys (which object literals and
 * most generators cannot produce), with values that are any JSON.
 */
export const jsonObjectWithTrickyKeys: fc.Arbitrary<unknown> = fc
  .array(fc.tuple(fc.constantFrom(...TRICKY_KEYS), fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 })
  .map(
    (pairs) =>
      JSON.parse(
        `{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`,
      ) as unknown,
  );

/** Places where a hostile value is put inside otherwise plausible payloads. */
export const hostilePayload: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(fc.jsonValue({ maxDepth: 4 }), jsonObjectWithTrickyKeys),
    fc.constantFrom(...VERB_NAMES),
  )
  .chain(([value, verb]) =>
    fc.constantFrom<unknown>(
      value,
      { tropo: value },
      { tropo: [value] },
      { tropo: [{ [verb]: value }] },
      {
        tropo: [
          { [verb]: { value, to: value, url: value, say: value, on: value, choices: value } },
        ],
      },
      { session: value },
      {
        session: {
          id: 'x',
          from: value,
          to: value,
          headers: value,
          parameters: value,
          initialMedia: value,
        },
      },
      { result: value },
      { result: { sessionId: 'x', actions: value, state: value } },
      { result: { sessionId: 'x', actions: [value] } },
      { result: { transcription: value, guid: value } },
    ),
  );
