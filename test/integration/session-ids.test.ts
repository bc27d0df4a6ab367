/**
 * Session ids key the state store, so an id outside what Tropo sends is refused with a JSON 400
 * before any app runs or anything is kept (hostile review: long ids grew memory without bound).
 */
import request from 'supertest';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

type Body = { session?: Record<string, unknown>; result?: Record<string, unknown> };

const withSessionId = (id: unknown): Body => {
  const body = fixture<Body>('requests/inbound-voice-session.json');
  return { session: { ...body.session, id } };
};

const withResultSessionId = (id: unknown): Body => {
  const body = fixture<Body>('requests/ivr-choice-result.json');
  return { result: { ...body.result, sessionId: id } };
};

const BAD_IDS: [string, unknown][] = [
  ['129 characters', 'a'.repeat(129)],
  ['a megabyte', 'x'.repeat(1024 * 1024 - 100)],
  ['a slash', 'abc/../def'],
  ['a space', 'abc def'],
  ['a control character', 'abc\u001b[2J'],
  ['a non-ASCII letter', 'séssion'],
];

describe('session ids', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({ BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });
  });
  afterEach(() => t.close());

  it.each(BAD_IDS)('when a session id holds %s, then 400 and no app runs', async (_, id) => {
    const res = await request(t.app).post('/apps/ivr-menu/start').send(withSessionId(id));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('NOT_A_SESSION');
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'session.id' })]);
    // Nothing was kept for it, and its text is not echoed back.
    if (typeof id === 'string') expect(await t.state.get(id)).toBeUndefined();
    expect(JSON.stringify(res.body).length).toBeLessThan(1000);
  });

  it.each(BAD_IDS)('when a result session id holds %s, then 400', async (_, id) => {
    const res = await request(t.app).post('/apps/ivr-menu/on/choice').send(withResultSessionId(id));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('NOT_A_RESULT');
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'result.sessionId' })]);
  });

  it.each([
    ['32 hex digits', '3010a200d38c2e2ae99ac9e1dcd6ec39'],
    ['a Tropo id with a host', 'CCFD9C86-1DD1-11B2-B76D-B9B253E4B7FB@161.253.55.20'],
    ['128 characters', 'a'.repeat(128)],
  ])('when a session id is %s, then the app answers', async (_, id) => {
    const res = await request(t.app).post('/apps/ivr-menu/start').send(withSessionId(id));
    expect(res.status).toBe(200);
    expect(res.body.tropo).toBeInstanceOf(Array);
  });
});
