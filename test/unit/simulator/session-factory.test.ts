/** Tests for the session factory, checked against the key sets and types of the stored tropo-session captures. */
import fc from 'fast-check';
import {
  type SessionFactoryDeps,
  callerId,
  createSession,
  isSessionSpecError,
  stringifyParameter,
} from '../../../src/simulator/session-factory';
import { isTropoId, manualClock, seededRandomBytes } from '../../../src/simulator/ids';
import { vector } from './fixtures';
import { toE164 } from '../../../src/sdk/phone';
import type * as SessionFactory from '../../../src/simulator/session-factory';

type Json = Record<string, unknown>;

function fixtureSession(fragment: string): Json {
  return (JSON.parse(vector('tropo-session', fragment).json) as { session: Json }).session;
}

/** The 2017 inbound voice fixture without the MMS fields that its authors grafted onto it (§6.3). */
const voiceFixture = Object.fromEntries(
  Object.entries(fixtureSession('PHP SessionTest fixture: inbound SIP voice session')).filter(
    ([key]) => key !== 'subject' && key !== 'initialMedia',
  ),
);
const smsFixture = fixtureSession(
  'Inbound SMS session as logged by the Tropo application debugger',
);
const tokenFixture = fixtureSession('Token-launched session after a REST create (2011)');

const deps = (seed = 1): SessionFactoryDeps => ({
  clock: manualClock(Date.UTC(2017, 5, 8, 3, 40, 19, 283)),
  random: seededRandomBytes(seed),
});

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every key of the fixture is present with a value of the same JSON type. */
function expectSameTypes(ours: Json, captured: Json): void {
  for (const [key, value] of Object.entries(captured)) {
    expect({ key, type: typeOf(ours[key]) }).toEqual({ key, type: typeOf(value) });
  }
}

describe('createSession: inbound voice', () => {
  const session = asJson(
    createSession(
      { kind: 'voice', from: 'sip:pengxli@10.140.254.38', to: '9992801029', network: 'SIP' },
      deps(),
    ).session,
  );

  it('when built, then it has exactly the keys of the 2017 voice fixture, in the same order', () => {
    expect(Object.keys(session)).toEqual(Object.keys(voiceFixture));
    expectSameTypes(session, voiceFixture);
  });

  it('when built, then to/from have the fixture caller-id keys and SIP ids as in the fixture', () => {
    expect(session.to).toEqual(voiceFixture.to);
    expect(session.from).toEqual(voiceFixture.from);
  });

  it('when built, then ids are 32 hex, userType HUMAN, initialText an explicit null', () => {
    expect(isTropoId(session.id)).toBe(true);
    expect(isTropoId(session.callId)).toBe(true);
    expect(session.id).not.toBe(session.callId);
    expect(session.userType).toBe('HUMAN');
    expect(session.initialText).toBeNull();
    expect(session.accountId).toMatch(/^\d+$/);
    expect(session.applicationId).toMatch(/^\d+$/);
  });

  it('when built, then the timestamp comes from the clock with milliseconds', () => {
    expect(session.timestamp).toBe('2017-06-08T03:40:19.283Z');
  });

  it('when built, then headers are a string map with a plausible INVITE header set', () => {
    const headers = session.headers as Record<string, unknown>;
    for (const name of ['Request URI', 'Call-ID', 'CSeq', 'From', 'To', 'Via', 'Contact']) {
      expect(typeof headers[name]).toBe('string');
    }
    expect(Object.values(headers).every((v) => typeof v === 'string')).toBe(true);
    expect(headers['Request URI']).toMatch(/^sip:9992801029@/);
    expect(headers.From).toMatch(/^<sip:pengxli@[^>]+>;tag=[0-9a-f]+$/);
    expect(headers.To).toMatch(/^<sip:9992801029@/);
    expect(headers.CSeq).toBe('1 INVITE');
    expect(headers.Via).toContain('\r\n');
    // The same header names, in the same order, as the 2017 capture.
    expect(Object.keys(headers)).toEqual(Object.keys(voiceFixture.headers as object));
  });

  it('when a PSTN number is formatted, then id drops the + and e164Id is the E.164 form', () => {
    const pstn = createSession(
      { kind: 'voice', from: '+1 415-555-1212', to: 'tel:+14155550100' },
      deps(),
    ).session;
    if (!('to' in pstn)) throw new Error('expected an inbound session');
    expect(pstn.from).toEqual({
      id: '14155551212',
      e164Id: '+14155551212',
      name: '+14155551212',
      channel: 'VOICE',
      network: 'PSTN',
    });
    expect(pstn.to.id).toBe('14155550100');
    expect(pstn.headers['Request URI']).toMatch(/^sip:\+14155550100@/);
  });

  it('when a national number is given, then it is read as North American', () => {
    expect(callerId('4155551212', 'VOICE', 'PSTN')).toMatchObject({
      id: '14155551212',
      e164Id: '+14155551212',
    });
  });

  it('when a number is read, then it is read as the server reads it (toE164), international ones too', () => {
    for (const typed of [
      '+44 20 7946 0958',
      '(415) 555-1212',
      '1-415-555-1212',
      '+8613800138000',
    ]) {
      const e164 = toE164(typed);
      expect(callerId(typed, 'VOICE', 'PSTN')).toMatchObject({ id: e164?.slice(1), e164Id: e164 });
    }
    // Not a possible number: kept as typed, without the +.
    expect(callerId('+123', 'TEXT', 'SMS')).toMatchObject({ id: '123', e164Id: '123', name: null });
  });

  it('when the simulator builds sessions with North American numbers, then libphonenumber-js is not loaded', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('libphonenumber-js', () => {
        loads += 1;
        return jest.requireActual<object>('libphonenumber-js');
      });
      const factory = jest.requireActual<typeof SessionFactory>(
        '../../../src/simulator/session-factory',
      );
      factory.createSession(
        { kind: 'voice', from: '+14155551212', to: 'tel:+14155550100' },
        deps(),
      );
      expect(loads).toBe(0);
      // The first number that needs a full parse loads it, once.
      factory.callerId('+44 20 7946 0958', 'VOICE', 'PSTN');
      factory.callerId('+33 1 23 45 67 89', 'VOICE', 'PSTN');
      expect(loads).toBe(1);
    });
    jest.dontMock('libphonenumber-js');
  });

  it('when names and extra headers are given, then they are used', () => {
    const s = createSession(
      {
        kind: 'voice',
        from: '+14155551212',
        to: '+14155550100',
        fromName: 'Alice',
        toName: null,
        headers: { 'x-custom': '1', CSeq: '2 INVITE' },
      },
      deps(),
    ).session;
    if (!('to' in s)) throw new Error('expected an inbound session');
    expect(s.from.name).toBe('Alice');
    expect(s.to.name).toBeNull();
    expect(s.headers['x-custom']).toBe('1');
    expect(s.headers.CSeq).toBe('2 INVITE');
  });

  it('when the same seed and clock are used, then the session is identical; another seed changes ids', () => {
    const spec = { kind: 'voice', from: '+14155551212', to: '+14155550100' } as const;
    expect(createSession(spec, deps(7))).toEqual(createSession(spec, deps(7)));
    expect(createSession(spec, deps(7)).session.id).not.toBe(
      createSession(spec, deps(8)).session.id,
    );
  });

  it('when no randomness is injected, then crypto ids are still 32 hex and differ', () => {
    const spec = { kind: 'voice', from: '+14155551212', to: '+14155550100' } as const;
    const a = createSession(spec).session;
    const b = createSession(spec).session;
    expect(isTropoId(a.id)).toBe(true);
    expect(a.id).not.toBe(b.id);
    expect(a.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('createSession: inbound text', () => {
  const built = createSession(
    { kind: 'text', from: '+15555551212', to: '+15555550000', text: 'What? 50% off & more' },
    deps(),
  ).session;
  const session = asJson(built);

  it('when built, then it has the SMS fixture keys plus applicationId, with the same types', () => {
    const fixtureKeys = Object.keys(smsFixture);
    expect(Object.keys(session).filter((k) => !fixtureKeys.includes(k))).toEqual(['applicationId']);
    expect(fixtureKeys.every((k) => k in session)).toBe(true);
    expectSameTypes(session, smsFixture);
  });

  it('when built, then initialText is the message and to/from are TEXT/SMS with null names', () => {
    expect(session.initialText).toBe('What? 50% off & more');
    expect(session.userType).toBe('HUMAN');
    expect(isTropoId(session.callId)).toBe(true);
    const fixtureFrom = smsFixture.from as Json;
    expect(session.from).toEqual({ ...fixtureFrom, id: '15555551212', e164Id: '+15555551212' });
  });

  it('when built, then the From header carries the message like the 2010 capture', () => {
    if (!('headers' in built)) throw new Error('expected an inbound session');
    expect(built.headers.From).toContain(';user=15555551212;');
    expect(built.headers.From).toContain(`;msg=${encodeURIComponent('What? 50% off & more')};`);
    expect(built.headers.From).toContain(';network=SMS;');
    expect(built.headers['Content-Length']).toBe(String(Buffer.byteLength('What? 50% off & more')));
  });
});

describe('createSession: token-launched', () => {
  const built = createSession(
    {
      kind: 'token',
      token: 'secret-token',
      parameters: {
        numberToDial: '4075551212',
        count: 3,
        urgent: true,
        meta: { a: 1 },
        none: null,
      },
    },
    deps(),
  ).session;
  const session = asJson(built);

  it('when built, then it has the token fixture keys plus applicationId, with the same types', () => {
    const fixtureKeys = Object.keys(tokenFixture);
    expect(Object.keys(session).filter((k) => !fixtureKeys.includes(k))).toEqual(['applicationId']);
    expectSameTypes(session, tokenFixture);
    for (const absent of ['to', 'from', 'headers']) expect(absent in session).toBe(false);
  });

  it('when built, then userType is NONE and callId and initialText are explicit nulls', () => {
    expect(session.userType).toBe('NONE');
    expect(session.callId).toBeNull();
    expect(session.initialText).toBeNull();
  });

  it('when built, then parameters start with token and action and every value is a string', () => {
    expect(session.parameters).toEqual({
      token: 'secret-token',
      action: 'create',
      numberToDial: '4075551212',
      count: '3',
      urgent: 'true',
      meta: '{"a":1}',
      none: 'null',
    });
    expect(Object.keys(session.parameters as object).slice(0, 2)).toEqual(['token', 'action']);
  });

  it('when parameters try to replace token or action, then the Session API values win', () => {
    const s = createSession(
      { kind: 'token', token: 'real', parameters: { token: 'fake', action: 'destroy', x: 'y' } },
      deps(),
    ).session;
    expect('parameters' in s && s.parameters).toEqual({ token: 'real', action: 'create', x: 'y' });
  });

  it('when includeAction is false, then parameters have no action of their own', () => {
    const s = createSession({ kind: 'token', token: 't', includeAction: false }, deps()).session;
    expect('parameters' in s && s.parameters).toEqual({ token: 't' });
  });

  it('when given any parameter values, then every delivered value is a string', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (parameters) => {
        const s = createSession({ kind: 'token', token: 't', parameters }, deps()).session;
        if (!('parameters' in s)) throw new Error('expected a token session');
        expect(Object.values(s.parameters).every((v) => typeof v === 'string')).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('createSession: bad input', () => {
  const expectSpecError = (run: () => unknown, message: RegExp): void => {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(isSessionSpecError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  };

  it('when an id is not numeric, then it names the field', () => {
    expectSpecError(
      () => createSession({ kind: 'token', token: 't', accountId: 'acct-1' }, deps()),
      /accountId must be a numeric string/,
    );
    expectSpecError(
      () => createSession({ kind: 'token', token: 't', applicationId: '' }, deps()),
      /applicationId/,
    );
  });

  it('when the token or an address is empty, then it says so', () => {
    expectSpecError(() => createSession({ kind: 'token', token: ' ' }, deps()), /token/);
    expectSpecError(
      () => createSession({ kind: 'voice', from: '', to: '+14155550100' }, deps()),
      /must not be empty/,
    );
    expectSpecError(() => callerId('sip:@host', 'VOICE', 'SIP'), /no user part/);
  });

  it('when given explicit numeric ids, then they are used as given', () => {
    const s = createSession(
      { kind: 'token', token: 't', accountId: '97442', applicationId: '24601' },
      deps(),
    ).session;
    expect([s.accountId, s.applicationId]).toEqual(['97442', '24601']);
  });
});

describe('stringifyParameter', () => {
  it('when given JSON values, then returns the string Tropo would deliver', () => {
    expect(stringifyParameter('x')).toBe('x');
    expect(stringifyParameter(1.5)).toBe('1.5');
    expect(stringifyParameter(false)).toBe('false');
    expect(stringifyParameter([1, 'a'])).toBe('[1,"a"]');
  });
});

describe('createSession: parameter names', () => {
  it('when a parameter is called __proto__, then it is delivered as data', () => {
    const parameters = JSON.parse('{"__proto__":"x"}') as Record<string, unknown>;
    const s = createSession({ kind: 'token', token: 't', parameters }, deps()).session;
    expect(JSON.stringify(s)).toContain('"__proto__":"x"');
  });
});
