/** What the validator tolerates (spec §10): every variant an official library emits is valid and reads as one normal form. */
import { validateDocument } from '../../../src/tropo';
import { expectValid, normalise, warningsOf } from '../../helpers/tropo';

/** Parses JSON text, so that number spellings like 30.0 reach the validator as a real payload would. */
function fromJson(text: string): unknown {
  return JSON.parse(text);
}

describe('tolerated variants', () => {
  it.each(['hangup', 'reject', 'stopRecording', 'answer'])(
    'when %s has a null, {} or "null" body, then each reads as {}',
    (verb) => {
      for (const body of [null, {}, 'null']) {
        expect(normalise({ [verb]: body })).toEqual([{ [verb]: {} }]);
      }
    },
  );

  it('when the whole document is null, {} or "null", then it is invalid: only verb bodies may be empty', () => {
    // Spec §3: the top level is an object whose `tropo` is an array; §10's empty-body tolerance is
    // about verb bodies. An app that means "nothing to do" sends {"tropo":[]}.
    for (const body of [null, 'null']) {
      expect(validateDocument(body).issues).toEqual([
        {
          path: '',
          message: `expected a Tropo document, an object like {"tropo":[…]}; got ${body === null ? 'null' : '"null"'}`,
          severity: 'error',
        },
      ]);
    }
    expect(validateDocument({}).issues).toEqual([
      {
        path: 'tropo',
        message: 'missing required field "tropo" (the list of verbs)',
        severity: 'error',
      },
    ]);
    expect(expectValid({ tropo: [] }).issues).toEqual([]);
  });

  it('when say is one object (Node, Python, C#) or an array (PHP, Java, Ruby), then both read as a list', () => {
    expect(normalise({ say: { value: 'Hi' } })).toEqual(normalise({ say: [{ value: 'Hi' }] }));
    expect(
      normalise({ ask: { say: { value: 'Zip?' }, choices: { value: '[5 DIGITS]' } } }),
    ).toEqual([{ ask: { say: [{ value: 'Zip?' }], choices: { value: '[5 DIGITS]' } } }]);
  });

  it('when to is a string or an array (C# always sends an array), then both read as a list', () => {
    for (const verb of ['call', 'transfer']) {
      expect(normalise({ [verb]: { to: '+1415' } })).toEqual([{ [verb]: { to: ['+1415'] } }]);
      expect(normalise({ [verb]: { to: ['+1415', 'sip:a@b'] } })).toEqual([
        { [verb]: { to: ['+1415', 'sip:a@b'] } },
      ]);
    }
    expect(normalise({ message: { to: ['+1415'], say: { value: 'x' } } })).toEqual([
      { message: { to: ['+1415'], say: [{ value: 'x' }] } },
    ]);
  });

  it('when an on element is an array (PHP, Java and()), then each handler becomes its own element', () => {
    expect(
      normalise(
        { say: { value: 'x' } },
        {
          on: [
            { event: 'continue', next: '/c' },
            { event: 'incomplete', next: '/i', say: { value: 'Sorry' } },
          ],
        },
      ),
    ).toEqual([
      { say: [{ value: 'x' }] },
      { on: { event: 'continue', next: '/c' } },
      { on: { event: 'incomplete', next: '/i', say: [{ value: 'Sorry' }] } },
    ]);
  });

  it('when on.say is an object (PHP, Python, Node) or an array (Java, Ruby), then both read as a list', () => {
    const expected = [{ on: { event: 'hangup', say: [{ value: 'Bye' }] } }];
    expect(normalise({ on: { event: 'hangup', say: { value: 'Bye' } } })).toEqual(expected);
    expect(normalise({ on: { event: 'hangup', say: [{ value: 'Bye' }] } })).toEqual(expected);
  });

  it('when transfer.on is an object or an array, then it reads as a list', () => {
    const handler = { event: 'ring', say: { value: 'http://x/ring.mp3' } };
    const expected = [{ event: 'ring', say: [{ value: 'http://x/ring.mp3' }] }];
    expect(normalise({ transfer: { to: '1', on: handler } })).toEqual([
      { transfer: { to: ['1'], on: expected } },
    ]);
    expect(normalise({ transfer: { to: '1', on: [handler] } })).toEqual([
      { transfer: { to: ['1'], on: expected } },
    ]);
  });

  describe('recording destinations', () => {
    const read = (body: object) =>
      (normalise({ record: body })[0] as { record: { url: unknown } }).record.url;

    it('when url is a string with sibling username/password/method (old docs, Java, Python, C#), then they are folded in', () => {
      expect(read({ url: 'ftp://h/up', username: 'u', password: 'p', method: 'PUT' })).toEqual([
        { url: 'ftp://h/up', username: 'u', password: 'p', method: 'PUT' },
      ]);
    });

    it('when url is an object (PHP, Node), then it is a one-item list', () => {
      expect(read({ url: { url: 'http://h/up', method: 's3', sessionToken: 't' } })).toEqual([
        { url: 'http://h/up', method: 's3', sessionToken: 't' },
      ]);
    });

    it('when url is an array of objects, then every destination is kept', () => {
      expect(read({ url: [{ url: 'http://a' }, { url: 'http://b', username: 'u' }] })).toEqual([
        { url: 'http://a' },
        { url: 'http://b', username: 'u' },
      ]);
    });

    it('when the destination is under recordURL (C#) or recordingURL (newest docs), then it is read as url', () => {
      expect(read({ recordURL: [{ url: 'http://a' }] })).toEqual([{ url: 'http://a' }]);
      const start = normalise({ startRecording: { recordingURL: { url: 'http://b' } } });
      expect(start).toEqual([{ startRecording: { url: [{ url: 'http://b' }] } }]);
    });

    it('when url and recordURL name the same place, then it is uploaded once', () => {
      expect(
        read({ url: 'http://a', recordURL: [{ url: 'http://a' }, { url: 'http://b' }] }),
      ).toEqual([{ url: 'http://a' }, { url: 'http://b' }]);
    });

    it('when the method is in another case, then it is read in its canonical spelling', () => {
      expect(read({ url: 'http://a', method: 'put' })).toEqual([
        { url: 'http://a', method: 'PUT' },
      ]);
      expect(read({ url: { url: 'http://a', method: 'S3' } })).toEqual([
        { url: 'http://a', method: 's3' },
      ]);
    });
  });

  it('when choices.mode is in upper case (Java Choices object), then it is lower-cased', () => {
    expect(
      normalise({ ask: { say: { value: 'x' }, choices: { value: '1', mode: 'DTMF' } } }),
    ).toEqual([{ ask: { say: [{ value: 'x' }], choices: { value: '1', mode: 'dtmf' } } }]);
  });

  it('when voice names are capitalised (C#, samples) or lower case, then they are accepted as given', () => {
    const doc = {
      tropo: [
        { say: { value: 'x', voice: 'Victor' } },
        { say: { value: 'y', voice: 'carmen' } },
        { ask: { say: { value: 'z' }, choices: { value: '1' }, voice: 'Allison' } },
        { on: { event: 'continue', next: '/n' } },
      ],
    };
    expect(expectValid(doc).issues).toEqual([]);
  });

  it('when other enumerations differ in case, then they are read in their canonical spelling', () => {
    expect(
      normalise({
        message: {
          to: '1',
          say: { value: 'x' },
          channel: 'text',
          network: 'sms',
          promptLogSecurity: 'SUPPRESS',
        },
      }),
    ).toEqual([
      {
        message: {
          to: ['1'],
          say: [{ value: 'x' }],
          channel: 'TEXT',
          network: 'SMS',
          promptLogSecurity: 'suppress',
        },
      },
    ]);
    expect(normalise({ record: { url: 'http://a', format: 'AUDIO/MP3' } })).toEqual([
      { record: { url: [{ url: 'http://a' }], format: 'audio/mp3' } },
    ]);
  });

  it('when integer fields are written as floats (Java writes 30.0), then they are accepted', () => {
    const doc = fromJson(
      '{"tropo":[{"ask":{"say":{"value":"x"},"choices":{"value":"1"},"attempts":3.0,"minConfidence":30.0,"timeout":30.0}},{"wait":{"milliseconds":5000.0}},{"on":{"event":"continue","next":"/n"}}]}',
    );
    expect(expectValid(doc).document.tropo[0]).toEqual({
      ask: {
        say: [{ value: 'x' }],
        choices: { value: '1' },
        attempts: 3,
        minConfidence: 30,
        timeout: 30,
      },
    });
  });

  it('when the conference id is a number (Node 2013) or a string, then it reads as a string', () => {
    expect(normalise({ conference: { id: 1234 } })).toEqual([{ conference: { id: '1234' } }]);
    expect(normalise({ conference: { id: 'foo' } })).toEqual([{ conference: { id: 'foo' } }]);
  });

  it('when joinPrompt/leavePrompt are booleans or objects, then both are kept', () => {
    expect(
      normalise({
        conference: { id: 'a', joinPrompt: true, leavePrompt: { value: 'Bye', voice: 'kate' } },
      }),
    ).toEqual([
      { conference: { id: 'a', joinPrompt: true, leavePrompt: { value: 'Bye', voice: 'kate' } } },
    ]);
  });

  it('when machineDetection is a boolean or an object, then both are kept', () => {
    expect(normalise({ call: { to: '1', machineDetection: false } })).toEqual([
      { call: { to: ['1'], machineDetection: false } },
    ]);
    expect(
      normalise({ transfer: { to: '1', machineDetection: { introduction: 'Hello' } } }),
    ).toEqual([{ transfer: { to: ['1'], machineDetection: { introduction: 'Hello' } } }]);
  });

  it('when record/transfer choices carry only a terminator (Node, PHP) or also a value (C#, Java, Ruby, Python ""), then all are valid', () => {
    for (const choices of [
      { terminator: '#' },
      { value: '[5 DIGITS]', terminator: '#' },
      { terminator: '#', value: '' },
    ]) {
      expect(normalise({ record: { url: 'http://a', choices } })).toEqual([
        { record: { url: [{ url: 'http://a' }], choices } },
      ]);
      expect(normalise({ transfer: { to: '1', choices } })).toEqual([
        { transfer: { to: ['1'], choices } },
      ]);
    }
  });

  it('when transfer has a top-level terminator (C#), then it is read into choices', () => {
    expect(normalise({ transfer: { to: '1', terminator: '#' } })).toEqual([
      { transfer: { to: ['1'], choices: { terminator: '#' } } },
    ]);
    expect(
      normalise({ transfer: { to: '1', terminator: '*', choices: { terminator: '#' } } }),
    ).toEqual([{ transfer: { to: ['1'], choices: { terminator: '#' } } }]);
  });

  it('when name is left out (optional since 2017), then the verbs are valid', () => {
    expect(
      warningsOf({
        tropo: [
          { say: { value: 'x' } },
          { record: { url: 'http://a' } },
          { transfer: { to: '1' } },
          { message: { to: '1', say: { value: 'x' } } },
        ],
      }),
    ).toEqual([]);
  });

  it('when ask says contain event prompts (Node returns them before the main prompt), then they are kept in order', () => {
    const says = [
      { value: 'Sorry, I did not hear anything.', event: 'timeout' },
      { value: 'Not valid', event: 'nomatch:1 nomatch:2' },
      { value: 'Enter your zip' },
    ];
    expect(normalise({ ask: { say: says, choices: { value: '[5 DIGITS]' } } })).toEqual([
      { ask: { say: says, choices: { value: '[5 DIGITS]' } } },
    ]);
  });

  it('when allowSignals is "" (uninterruptible, Java), a name or a list, then all are kept', () => {
    for (const allowSignals of ['', '*', 'exit', ['exit', 'stop']]) {
      expect(normalise({ wait: { milliseconds: 1, allowSignals } })).toEqual([
        { wait: { milliseconds: 1, allowSignals } },
      ]);
    }
  });

  it('when a verb repeats and on elements come first (Ruby), then order is kept', () => {
    expect(
      normalise(
        { on: { event: 'continue', next: '/n' } },
        { say: { value: 'a' } },
        { say: { value: 'b' } },
      ),
    ).toEqual([
      { on: { event: 'continue', next: '/n' } },
      { say: [{ value: 'a' }] },
      { say: [{ value: 'b' }] },
    ]);
  });

  it('when booleans are the strings "true"/"false" (2010 Ruby), then they read as booleans', () => {
    expect(
      normalise({
        ask: { say: { value: 'x', required: 'false' }, choices: { value: '1' }, bargein: 'true' },
      }),
    ).toEqual([
      { ask: { say: [{ value: 'x', required: false }], choices: { value: '1' }, bargein: true } },
    ]);
    expect(normalise({ call: { to: '1', machineDetection: 'true' } })).toEqual([
      { call: { to: ['1'], machineDetection: true } },
    ]);
  });

  it('when from is an endpoint object (2010-era C#), then it reads as its id', () => {
    for (const verb of ['call', 'transfer']) {
      expect(
        normalise({
          [verb]: { to: '1', from: { id: '3055551212', channel: 'VOICE', name: 'unknown' } },
        }),
      ).toEqual([{ [verb]: { to: ['1'], from: '3055551212' } }]);
    }
    expect(
      normalise({ message: { to: '1', say: { value: 'x' }, from: { id: '3055551212' } } }),
    ).toEqual([{ message: { to: ['1'], say: [{ value: 'x' }], from: '3055551212' } }]);
  });
});

describe('documents shaped like the other official libraries emit them', () => {
  it.each([
    [
      'Java: record with snake_case legacy keys and a nested transcription',
      '{"tropo":[{"record":{"name":"foo","url":"http://example.com/up","beep":true,"send_tones":true,"exit_tone":"#","transcription":{"id":"t","url":"mailto:a@example.com","emailFormat":"encoded"},"say":[{"value":"Your message"}],"choices":{"value":"[5 DIGITS]"}}}]}',
      ['tropo[0].record.send_tones', 'tropo[0].record.exit_tone'],
    ],
    [
      'Java: on array followed by say, and on with a stray value',
      '{"tropo":[{"on":[{"event":"error","next":"error.json"}]},{"say":[{"value":"blah"}]},{"on":{"event":"hangup","value":"Bye"}}]}',
      ['tropo[2].on.value'],
    ],
    [
      'Java: transfer with ring and connect handlers, DTMF mode and float timeouts',
      '{"tropo":[{"say":[{"name":"say","value":"Transferring"}]},{"transfer":{"name":"t","to":"14075550100","from":"14075550122","timeout":60.0,"answerOnMedia":false,"required":true,"allowSignals":["exit"],"machineDetection":false,"choices":{"terminator":"0"},"interdigitTimeout":5.5,"ringRepeat":5,"playTones":true,"voice":"tom","on":[{"event":"ring","say":[{"value":"http://example.com/hold.mp3"}]},{"event":"connect","ask":{"attempts":3,"say":[{"value":"Again","event":"nomatch"},{"value":"Enter the code"}],"timeout":10.0,"name":"ask","choices":{"value":"[5 DIGITS]","mode":"DTMF"}}}]}}]}',
      [],
    ],
    [
      'C#: call with an array to, an endpoint from, the legacy recording and termChar',
      '{"tropo":[{ "call":{"timeout":10.0,"to":["3055195825"],"from":{"id":"3055551212"},"network":"SMS","channel":"TEXT","answerOnMedia":false,"headers":{"foo":"bar"},"recording":{"format":"audio/mp3","url":"http://example.com/1.wav"}}},{ "record":{"choices":{"value":"[5 DIGITS]","termChar":"#"},"url":"http://example.com/","say":{"value":"Speak"}}}]}',
      ['tropo[0].call.recording', 'tropo[1].record.choices.termChar'],
    ],
    [
      'PHP: "null" bodies, on arrays, object url with credentials',
      '{"tropo":[{"startRecording":{"url":{"url":"ftp://example.com/r","username":"u","password":"p","method":"POST"}}},{"say":[{"value":"Hi"}]},{"stopRecording":"null"},{"on":[{"event":"continue","next":"next.php","say":{"value":"ok"}}]},{"hangup":"null"}]}',
      [],
    ],
    [
      'Ruby: arrays everywhere and a 2010 redirect from',
      '{"tropo":[{"redirect":{"to":"sip:1234@example.com","from":"14155551212"}}]}',
      ['tropo[0].redirect.from'],
    ],
  ])(
    'when reading %s, then it is valid and only its odd keys are warned about',
    (_what, json, keyWarnings) => {
      const validation = expectValid(fromJson(json));
      expect(
        validation.issues.filter((issue) => / key /.test(issue.message)).map((issue) => issue.path),
      ).toEqual(keyWarnings);
    },
  );
});
