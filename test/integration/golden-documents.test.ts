/**
 * The shipped apps' paths not already pinned in routes.test.ts, each answered byte for byte as its
 * golden file (key order included), so a change in what Tropo receives shows in a diff.
 */
import request from 'supertest';
import { expectGolden } from '../helpers/golden';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

type Body = Record<string, Record<string, unknown>>;

let t: TestApp;
afterEach(() => t.close());

/** A copy of a request fixture with `change` applied to its inner object (session or result). */
function changed(name: string, change: (inner: Record<string, unknown>) => void): Body {
  const body = fixture<Body>(`requests/${name}`);
  const inner = body.session ?? body.result;
  if (inner) change(inner);
  return body;
}

async function post(path: string, body: unknown): Promise<string> {
  const res = await request(t.app)
    .post(path)
    .send(body as object);
  expect(res.status).toBe(200);
  return res.text;
}

describe('golden documents of the shipped apps', () => {
  describe('with RELAY_TO and SMS_FROM set', () => {
    beforeEach(() => {
      t = buildTestApp({ RELAY_TO: '+14155550199', SMS_FROM: '+14075550100' });
    });

    it('when the IVR caller picks hours by voice, then the hours and goodbye', async () => {
      const body = changed('ivr-choice-result.json', (r) => {
        (r.actions as Record<string, unknown>).value = 'Hours';
      });
      expectGolden('ivr-menu-hours', await post('/apps/ivr-menu/on/choice', body));
    });

    it('when the IVR caller picks something not on the menu, then sorry and goodbye', async () => {
      const body = changed('ivr-choice-result.json', (r) => {
        (r.actions as Record<string, unknown>).value = 'constructor';
      });
      expectGolden('ivr-menu-not-on-menu', await post('/apps/ivr-menu/on/choice', body));
    });

    it('when the IVR ask ends incomplete, then please call again', async () => {
      const body = fixture('requests/confirm-timeout-result.json');
      expectGolden('ivr-menu-incomplete', await post('/apps/ivr-menu/on/incomplete', body));
    });

    it('when the IVR caller hangs up, then a hangup', async () => {
      const body = fixture('requests/ivr-hangup-result.json');
      expectGolden('ivr-menu-hangup', await post('/apps/ivr-menu/on/hangup', body));
    });

    it('when a text is launched without from, then it is sent from SMS_FROM', async () => {
      expectGolden(
        'sms-relay-outbound-sms-from',
        await post('/start', fixture('requests/sms-relay-session.json')),
      );
    });

    it('when a text is launched with from, then it is sent from that number', async () => {
      const body = changed('sms-relay-session.json', (s) => {
        (s.parameters as Record<string, string>).from = '+1 212 555 0100';
      });
      expectGolden('sms-relay-outbound-from', await post('/start', body));
    });

    it('when an inbound text is empty, then nothing is relayed', async () => {
      const body = changed('inbound-text-session.json', (s) => {
        s.initialText = '   ';
      });
      expectGolden('sms-relay-inbound-empty', await post('/start', body));
    });

    it('when the reminder is launched with bad parameters, then the silent fallback', async () => {
      const body = changed('reminder-session.json', (s) => {
        delete (s.parameters as Record<string, string>).numberToDial;
      });
      expectGolden('fallback-silent', await post('/start', body));
    });

    it('when the quick start is asked for, then its static document as shipped', async () => {
      const res = await request(t.app).get('/apps/quickstart.json').expect(200);
      expectGolden('quickstart', res.text);
    });
  });

  describe('without RELAY_TO', () => {
    beforeEach(() => {
      t = buildTestApp({});
    });

    it('when an inbound text arrives, then it is not relayed: a hangup', async () => {
      expectGolden(
        'sms-relay-relay-to-unset',
        await post('/start', fixture('requests/inbound-text-session.json')),
      );
    });
  });
});
