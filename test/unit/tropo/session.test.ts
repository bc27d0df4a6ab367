/** Reading session payloads: normal form, kinds, old formats, and what fails. */
import { parseSession, type Session } from '../../../src/tropo';
import { vectorsOfKind } from '../../helpers/vectors';

function parsed(body: unknown): { session: Session; warnings: string[] } {
  const result = parseSession(body);
  if (!result.ok) throw new Error(`expected a session, got ${JSON.stringify(result.issues)}`);
  return { session: result.value, warnings: result.issues.map((i) => `${i.path}: ${i.message}`) };
}

const voice = vectorsOfKind('tropo-session')[0]?.body;

describe('parseSession', () => {
  it('when reading an inbound SIP voice session (2017), then every field is normalised', () => {
    const { session } = parsed(voice);
    expect(session).toMatchObject({
      id: '35b00c154f2fecacba37fad74e64a7e2',
      accountId: '1',
      applicationId: '1',
      timestamp: '2017-06-08T03:40:19.283Z',
      userType: 'HUMAN',
      initialText: null,
      callId: 'c5b298fc0785fda9029f7f3b5aeef7ab',
      to: {
        id: '9992801029',
        e164Id: '9992801029',
        name: '9992801029',
        channel: 'VOICE',
        network: 'SIP',
      },
      from: { id: 'pengxli', e164Id: 'pengxli', name: 'pengxli', channel: 'VOICE', network: 'SIP' },
      parameters: {},
      subject: 'Inbound MMS subject',
      channel: 'VOICE',
      network: 'SIP',
      kind: 'voice',
    });
    expect(session.headers['Request URI']).toBe('sip:9992801029@10.140.254.38;x-rt=0');
    expect(session.headers.Allow?.split('\r\n')).toContain('INVITE');
    expect(session.initialMedia).toEqual([
      { status: 'success', media: 'http://filehosting.tropo.com/account/1.jpg' },
      { status: 'success', text: 'this is text' },
      { status: 'failure', disposition: 'Failed to upload: 500 Internal Error', media: '2.jpg' },
    ]);
  });

  it('when reading an inbound SMS, then it is a text session with its initial text', () => {
    const { session } = parsed({
      session: {
        id: 's1',
        accountId: '1',
        timestamp: 't',
        userType: 'HUMAN',
        initialText: 'MYMESSAGE',
        callId: 'c',
        to: { id: '15555551212', name: null, channel: 'TEXT', network: 'SMS' },
        from: { id: '15555550000', name: null, channel: 'TEXT', network: 'SMS' },
        headers: {},
      },
    });
    expect(session).toMatchObject({
      kind: 'text',
      channel: 'TEXT',
      network: 'SMS',
      initialText: 'MYMESSAGE',
    });
    expect(session.from).toEqual({
      id: '15555550000',
      name: null,
      channel: 'TEXT',
      network: 'SMS',
    });
  });

  it('when reading a token-launched session, then kind is token, channel null, parameters strings', () => {
    const { session } = parsed({
      session: {
        id: 's2',
        accountId: '97442',
        timestamp: 't',
        userType: 'NONE',
        initialText: null,
        callId: null,
        parameters: {
          token: 'secret',
          action: 'create',
          numberToDial: 4075551212,
          vip: true,
          none: null,
          list: [1, 2],
        },
      },
    });
    expect(session).toMatchObject({
      kind: 'token',
      channel: null,
      network: null,
      to: null,
      from: null,
      headers: {},
    });
    expect(session.parameters).toEqual({
      token: 'secret',
      action: 'create',
      numberToDial: '4075551212',
      vip: 'true',
      none: 'null',
      list: '[1,2]',
    });
  });

  it('when a session has parameters but userType HUMAN, then it is still token-launched', () => {
    expect(
      parsed({ session: { id: 'x', userType: 'HUMAN', from: { id: '1' }, parameters: {} } }).session
        .kind,
    ).toBe('token');
  });

  it('when reading the old IM session (no callId, no initialText, no headers), then the defaults fill in', () => {
    const { session, warnings } = parsed({
      session: {
        id: 'dih06n',
        accountId: '33932',
        timestamp: '2010-01-19T23:18:48.562Z',
        userType: 'HUMAN',
        to: { id: 'tropomessaging@bot.im', name: 'unknown', channel: 'TEXT', network: 'JABBER' },
        from: { id: 'john_doe@gmail.com', name: 'unknown', channel: 'TEXT', network: 'JABBER' },
      },
    });
    expect(warnings).toEqual([]);
    expect(session).toMatchObject({
      callId: null,
      initialText: null,
      headers: {},
      parameters: {},
      kind: 'text',
      network: 'JABBER',
    });
  });

  it('when headers come as an array of key/value pairs (2010 docs), then they become a map, repeats joined by CRLF', () => {
    const { session } = parsed({
      session: {
        id: 'x',
        userType: 'HUMAN',
        from: { id: '1', channel: 'VOICE' },
        headers: [
          { key: 'Via', value: 'a' },
          { key: 'Via', value: 'b' },
          { key: 'CSeq', value: '1 INVITE' },
          { oops: true },
        ],
      },
    });
    expect(session.headers).toEqual({ Via: 'a\r\nb', CSeq: '1 INVITE' });
  });

  it('when caller ids use other cases and numbers, then they are normalised', () => {
    const { session } = parsed({
      session: {
        id: 'x',
        userType: 'human',
        from: { id: 14155551212, channel: 'voice', network: 'sip' },
      },
    });
    expect(session.from).toEqual({
      id: '14155551212',
      name: null,
      channel: 'VOICE',
      network: 'SIP',
    });
    expect(session.userType).toBe('HUMAN');
  });

  it('when optional fields have the wrong type, then they are dropped with a warning and the session still parses', () => {
    const { session, warnings } = parsed({
      session: {
        id: 'x',
        accountId: '1',
        timestamp: 't',
        userType: 'HUMAN',
        initialText: { text: 'hi' },
        to: 'me',
        from: { id: '1', channel: 'FAX' },
        headers: { 'x-ok': 'yes', 'x-bad': { a: 1 } },
        subject: 7,
      },
    });
    expect(session).toMatchObject({ initialText: null, to: null, headers: { 'x-ok': 'yes' } });
    expect(session.subject).toBeUndefined();
    expect(warnings).toEqual([
      'session.initialText: expected a string or a number; got an object (ignored)',
      'session.to: expected a caller-ID object; got "me" (ignored)',
      'session.from.channel: unknown channel "FAX" (ignored)',
      'session.headers["x-bad"]: expected a string; got an object (ignored)',
      'session.subject: expected a string; got 7 (ignored)',
    ]);
  });

  it('when accountId, timestamp or userType are missing, then defaults are used with a warning', () => {
    const { session, warnings } = parsed({ session: { id: 'x', from: { id: '1' } } });
    expect(session).toMatchObject({
      accountId: '',
      timestamp: '',
      userType: 'HUMAN',
      kind: 'voice',
    });
    expect(warnings).toEqual([
      'session.accountId: missing field "accountId"',
      'session.timestamp: missing field "timestamp"',
      'session.userType: missing field "userType" (taken as HUMAN)',
    ]);
  });

  it('when keys are named __proto__, then they stay plain keys and change no prototype', () => {
    const body = JSON.parse(
      '{"session":{"id":"x","userType":"NONE","parameters":{"__proto__":"p","a":"b"},"headers":{"__proto__":"h"}}}',
    ) as unknown;
    const { session } = parsed(body);
    expect(Object.keys(session.parameters)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(session.parameters)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(session.headers, '__proto__')?.value).toBe('h');
  });

  it.each([
    [
      'the body is not an object',
      'hello',
      '',
      /expected an object like \{"session":\{…\}\}; got "hello"/,
    ],
    ['the body has no session', { foo: 1 }, 'session', /expected a "session" object; got nothing/],
    ['the body is a result', { result: { sessionId: 'x' } }, 'session', /this is a result payload/],
    ['session is an array', { session: [] }, 'session', /got an empty array/],
    [
      'the session has no id',
      { session: { accountId: '1' } },
      'session.id',
      /missing required field "id"/,
    ],
    [
      'the id is a number',
      { session: { id: 5 } },
      'session.id',
      /expected a non-empty string; got 5/,
    ],
    [
      'the id is empty',
      { session: { id: '' } },
      'session.id',
      /expected a non-empty string; got ""/,
    ],
  ])('when %s, then parsing fails with a clear issue', (_what, body, path, message) => {
    const result = parseSession(body);
    expect(result.ok).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path, severity: 'error' });
    expect(result.issues[0]?.message).toMatch(message);
  });
});
