/**
 * What Tropo receives is the validator's normal form of what the app answered, read once: the
 * four probes of issue #18 (each went out as written before) and the unknown-key warning.
 */
import request from 'supertest';
import { defineApp, type AppAnswer } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import { say } from '../../src/tropo';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

/** The exact bytes of a one-say document: what every probe below must be served as. */
const HI = '{"tropo":[{"say":[{"value":"hi"}]}]}';

let answer: () => unknown = () => [];
let t: TestApp;

beforeEach(() => {
  const probe = defineApp({
    name: 'probe',
    description: 'answers whatever the test sets',
    channels: ['voice'],
    start: () => answer() as AppAnswer,
  });
  t = buildTestApp({}, { registry: new AppRegistry([moduleApp(probe)]) });
});
afterEach(() => t.close());

async function served(make: () => unknown): Promise<request.Response> {
  answer = make;
  return request(t.app)
    .post('/apps/probe/start')
    .send(fixture('requests/inbound-voice-session.json'))
    .expect(200);
}

describe('the document served for an app answer', () => {
  it('when the answer holds an unknown key, then the key is left out of what Tropo gets', async () => {
    const res = await served(() => [{ say: { value: 'hi', colour: 'red' } }]);
    expect(res.text).toBe(HI);
  });

  it('when the answer holds an unknown key, then a warning names the app and the path, and it is counted', async () => {
    await served(() => [{ say: { value: 'hi', colour: 'red' } }]);
    const line = t.logs().find((l) => Array.isArray(l.unknownKeys));
    expect(line).toMatchObject({
      level: 'warn',
      app: 'probe',
      unknownKeys: ['tropo[0].say.colour'],
    });
    const metrics = (await request(t.app).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^tropo_unknown_keys_total\{app="probe"\} 1$/m);
  });

  it('when say is a single object, then Tropo gets it in normal form: a list', async () => {
    const res = await served(() => [{ say: { value: 'hi' } }]);
    expect(res.text).toBe(HI);
  });

  it('when the verb list carries a toJSON method, then it is never called', async () => {
    let calls = 0;
    const res = await served(() =>
      Object.assign([say({ value: 'hi' })], {
        toJSON: () => {
          calls += 1;
          return 'not a list';
        },
      }),
    );
    expect(res.text).toBe(HI);
    expect(calls).toBe(0);
  });

  it('when a getter changes its value on its third read, then it is read once and that value is sent', async () => {
    let reads = 0;
    const res = await served(() => [
      {
        say: [
          {
            get value(): unknown {
              reads += 1;
              return reads >= 3 ? 42 : 'hi';
            },
          },
        ],
      },
    ]);
    expect(res.text).toBe(HI);
    expect(reads).toBe(1);
  });
});
