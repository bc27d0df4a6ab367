/** Tests that the server forgets a session's state when the session ends, and only then. */
import request from 'supertest';
import { defineApp, type JsonValue } from '../../src/sdk/define-app';
import { AppRegistry, loadApps, moduleApp } from '../../src/server/registry';
import { createMemoryStore, type StateStore } from '../../src/state';
import { ask, hangup, on, say } from '../../src/tropo';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const SESSION = fixture('requests/inbound-voice-session.json');
const SESSION_ID = '98f3a0633f854e4aad70abe26ce4e99f';

/** A memory store that counts deletes, to show when the server touches the store. */
function countingStore(): { store: StateStore; deletes: () => number } {
  const inner = createMemoryStore({ sweepIntervalMs: 0 });
  let deletes = 0;
  return {
    store: {
      backend: inner.backend,
      ttlSeconds: inner.ttlSeconds,
      get: (id) => inner.get(id),
      set: (id, value, ttl) => inner.set(id, value, ttl),
      delete: (id) => {
        deletes += 1;
        return inner.delete(id);
      },
      health: () => inner.health(),
      close: () => inner.close(),
    },
    deletes: () => deletes,
  };
}

function resultBody(state: string, sessionId = SESSION_ID) {
  return {
    result: {
      sessionId,
      callId: 'e244f37c086e62cfe02cd4781cbe9778',
      state,
      sessionDuration: 9,
      sequence: 1,
      complete: true,
      error: null,
      actions: { name: 'pick', attempts: 1, disposition: 'SUCCESS', value: '1' },
    },
  };
}

/** Start stores `step`; `goOn` decides whether its document asks Tropo to come back. */
const stepper = defineApp({
  name: 'stepper',
  description: 'keeps a step in state',
  channels: ['voice'],
  async start(ctx) {
    await ctx.state.set('step', 'asked');
    if (ctx.session.from?.id === 'end-now') return [say({ value: 'Bye.' }), hangup()];
    if (ctx.session.from?.id === 'fail-now') throw new Error('failed after writing');
    return [
      ask({ name: 'pick', choices: { value: '1, 2' }, say: [{ value: 'Pick 1 or 2.' }] }),
      on({ event: 'continue', next: ctx.next('pick') }),
      on({ event: 'hangup', next: ctx.next('gone') }),
    ];
  },
  on: {
    async pick(ctx) {
      const step = await ctx.state.get<string>('step');
      if (ctx.result.actions[0]?.value === '2') {
        return [
          say({ value: `Again, from ${step ?? 'nowhere'}.` }),
          on({ event: 'continue', next: ctx.next('pick') }),
        ];
      }
      return [say({ value: `You were ${step ?? 'nowhere'}.` }), hangup()];
    },
    async gone(ctx) {
      const step = await ctx.state.get<string>('step');
      ctx.log.info({ step }, 'caller gone');
      // A document that would continue: the DISCONNECTED result ends the session all the same.
      return [
        say({ value: `Gone at ${step ?? 'nowhere'}.` }),
        on({ event: 'continue', next: ctx.next('pick') }),
      ];
    },
    transcribed: () => [hangup()],
  },
});

/** An app that never touches state. */
const stateless = defineApp({
  name: 'stateless',
  description: 'no state',
  channels: ['voice'],
  start: () => [say({ value: 'Hello.' }), hangup()],
});

describe('forgetting the state of ended sessions', () => {
  let t: TestApp;
  let counted: ReturnType<typeof countingStore>;

  beforeEach(() => {
    counted = countingStore();
    const registry = new AppRegistry([moduleApp(stepper), moduleApp(stateless)]);
    t = buildTestApp({}, { registry, state: counted.store });
  });
  afterEach(() => t.close());

  function sessionFrom(id: string) {
    const body = structuredClone(SESSION) as { session: { from: { id: string } } };
    body.session.from.id = id;
    return body;
  }

  const stored = () => t.state.get(SESSION_ID);
  const forgotten = () => waitFor(async () => (await stored()) === undefined, 'the state to go');

  it('when a document asks Tropo to come back, then the state stays; when the next one ends the call, then it goes', async () => {
    await request(t.app).post('/apps/stepper/start').send(SESSION).expect(200);
    expect(await stored()).toEqual({ step: 'asked' });

    const again = await request(t.app)
      .post('/apps/stepper/on/pick')
      .send({ result: { ...resultBody('ANSWERED').result, actions: { name: 'pick', value: '2' } } })
      .expect(200);
    expect(JSON.stringify(again.body)).toContain('Again, from asked.');
    expect(await stored()).toEqual({ step: 'asked' });
    expect(counted.deletes()).toBe(0);

    const last = await request(t.app).post('/apps/stepper/on/pick').send(resultBody('ANSWERED'));
    expect(JSON.stringify(last.body)).toContain('You were asked.');
    await forgotten();
    expect(counted.deletes()).toBe(1);
  });

  it('when a hangup result arrives, then the handler still reads the state, and the state goes after it answered', async () => {
    await request(t.app).post('/apps/stepper/start').send(SESSION).expect(200);
    const res = await request(t.app).post('/apps/stepper/on/gone').send(resultBody('DISCONNECTED'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Gone at asked.');
    await forgotten();
    expect(t.logs().find((l) => l.msg === 'caller gone')).toMatchObject({ step: 'asked' });
  });

  it('when the first document already ends the call, then what start wrote goes at once', async () => {
    const res = await request(t.app).post('/apps/stepper/start').send(sessionFrom('end-now'));
    expect(res.body).toEqual({ tropo: [{ say: [{ value: 'Bye.' }] }, { hangup: {} }] });
    await forgotten();
    expect(counted.deletes()).toBe(1);
  });

  it('when the app fails after writing, then the fallback ends the call and the state goes too', async () => {
    const res = await request(t.app).post('/apps/stepper/start').send(sessionFrom('fail-now'));
    expect(res.body.tropo.at(-1)).toEqual({ hangup: {} });
    expect(t.logs().find((l) => l.code === 'APP_THREW')).toBeDefined();
    await forgotten();
  });

  it('when a session that never wrote state ends at start, then the store is not touched', async () => {
    await request(t.app).post('/apps/stateless/start').send(SESSION).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counted.deletes()).toBe(0);
  });

  it('when a transcription callback is answered, then no state is touched', async () => {
    await t.state.set(SESSION_ID, { step: 'kept' });
    const body = JSON.parse(
      '{"result":{"transcription":"hello","guid":"3a045980-edef-012e-7404-12313d064a99","identifier":null}}',
    ) as JsonValue;
    await request(t.app)
      .post('/apps/stepper/on/transcribed')
      .send(body as object)
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counted.deletes()).toBe(0);
    expect(await stored()).toEqual({ step: 'kept' });
  });
});

describe('the appointment reminder and session end', () => {
  it('when the confirm handler deletes the state itself, then the server adds no second delete', async () => {
    const counted = countingStore();
    const t = buildTestApp({}, { registry: loadApps(), state: counted.store });
    try {
      await request(t.app)
        .post('/apps/appointment-reminder/start')
        .send(fixture('requests/reminder-confirm-session.json'))
        .expect(200);
      const res = await request(t.app)
        .post('/apps/appointment-reminder/on/confirm')
        .send(fixture('requests/confirm-pressed-1-result.json'));
      expect(JSON.stringify(res.body)).toContain('Your dental appointment is tomorrow at 10 AM');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(counted.deletes()).toBe(1);
      expect(await t.state.get('5a3f0e6b9c2d4e1fa7b8c9d0e1f2a3b4')).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('when forgetting the state fails', () => {
  it('when the delete rejects with something String() cannot show, then a warning is still logged', async () => {
    const counted = countingStore();
    const store: StateStore = {
      ...counted.store,
      // A null-prototype object: a naive `new Error(String(err))` would throw inside the handler.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point of the test
      delete: () => Promise.reject(Object.create(null) as unknown),
    };
    const registry = new AppRegistry([moduleApp(stepper)]);
    const t = buildTestApp({}, { registry, state: store });
    try {
      const body = structuredClone(SESSION) as { session: { from: { id: string } } };
      body.session.from.id = 'end-now';
      await request(t.app).post('/apps/stepper/start').send(body).expect(200);
      const warned = () =>
        t.logs().find((l) => String(l.msg).startsWith('could not delete the state'));
      await waitFor(() => warned() !== undefined, 'the warning');
      expect(warned()).toMatchObject({
        level: 'warn',
        err: { message: 'a value that cannot be shown as text was thrown' },
      });
    } finally {
      await t.close();
    }
  });
});
