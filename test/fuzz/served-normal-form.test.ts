/**
 * An oracle independent of the server's own copy: whatever an app answers, and however its objects
 * misbehave after their first read (toJSON, changing getters, symbols, Proxies, accessors on
 * arrays), the served body is exactly `JSON.stringify({tropo: normalForm})`, where the normal form
 * is the validator's reading of a plain copy this test makes of the undecorated answer.
 */
import fc from 'fast-check';
import request from 'supertest';
import { defineApp, type AppAnswer } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import { say, validateDocument } from '../../src/tropo';
import { builtVerb } from '../helpers/arbitraries';
import { fuzz } from '../helpers/fuzz-settings';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

/** What every read after the first one answers: never a valid field value. */
const CHANGED = 'changed after the first read';

/** Draws the decoration of each container, in walk order (the list is reused cyclically). */
class Plan {
  private at = 0;
  constructor(private readonly picks: readonly number[]) {}
  next(): number {
    const pick = this.picks[this.at % this.picks.length] ?? 0;
    this.at += 1;
    return pick;
  }
}

function changing<T>(value: T): () => T | string {
  let reads = 0;
  return () => (reads++ === 0 ? value : CHANGED);
}

/** A Proxy that answers each string key truly once, then CHANGED (`length` stays true). */
function changingProxy<T extends object>(target: T): T {
  const seen = new Set<string>();
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string' && key !== 'length') {
        if (seen.has(key)) return CHANGED;
        seen.add(key);
      }
      return Reflect.get(t, key, receiver) as unknown;
    },
  });
}

/** The same data as `value` on a first read, made hostile to any second look. */
function decorate(value: unknown, plan: Plan): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => decorate(item, plan));
    switch (plan.next()) {
      case 1:
        return Object.defineProperty(items, 'toJSON', { value: () => 'not a list' });
      case 2: {
        const accessors: unknown[] = [];
        items.forEach((item, i) =>
          Object.defineProperty(accessors, i, {
            get: changing(item),
            enumerable: true,
            configurable: true,
          }),
        );
        return accessors;
      }
      case 3:
        return Object.assign(items, { [Symbol('junk')]: { colour: 'red' }, extra: 'junk' });
      case 4:
        return changingProxy(items);
      default:
        return items;
    }
  }
  const entries = Object.entries(value).map(([k, v]) => [k, decorate(v, plan)] as const);
  const own = (target: object) => {
    for (const [k, v] of entries)
      Object.defineProperty(target, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return target;
  };
  switch (plan.next()) {
    case 1:
      return own(Object.create({ toJSON: () => ({ hijacked: true }) }) as object);
    case 2: {
      const target = {};
      for (const [k, v] of entries)
        Object.defineProperty(target, k, { get: changing(v), enumerable: true });
      return target;
    }
    case 3:
      return Object.assign(own({}), { [Symbol('junk')]: 'junk' });
    case 4:
      return changingProxy(own({}));
    case 5:
      return Object.assign(own({}), { toJSON: () => 'hijacked' });
    case 6:
      return Object.defineProperty(own({}), 'hidden', { value: 'junk', enumerable: false });
    default:
      return own({});
  }
}

/** Keys the WebAPI does not know, added to a verb's body. */
const extraKeys = fc.dictionary(
  fc.constantFrom('colour', 'xyzzy', 'Voice', 'send_tones'),
  fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
  { maxKeys: 2 },
);

/** One element as an app might write it: a built verb, maybe with unknown keys, or a single-object say. */
const element: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(builtVerb, extraKeys).map(([verb, extra]) => {
    const plain = JSON.parse(JSON.stringify(verb)) as Record<string, unknown>;
    const [name] = Object.keys(plain);
    const body = name === undefined ? undefined : plain[name];
    if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(body, extra);
    return plain;
  }),
  fc
    .record(
      { value: fc.string({ minLength: 1, maxLength: 8 }), colour: fc.string() },
      {
        requiredKeys: ['value'],
      },
    )
    .map((item) => ({ say: item })),
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

const answers = fc.array(element, { minLength: 1, maxLength: 4 });
const picks = fc.array(fc.nat(6), { minLength: 1, maxLength: 40 });

let answer: () => unknown = () => [];
let t: TestApp;
let voiceFallback: string;

beforeAll(() => {
  const probe = defineApp({
    name: 'probe',
    description: 'answers whatever the test sets',
    channels: ['voice'],
    start: () => answer() as AppAnswer,
  });
  t = buildTestApp({}, { registry: new AppRegistry([moduleApp(probe)]) });
  voiceFallback = JSON.stringify({
    tropo: [say({ value: t.config.fallback.voiceMessage }), { hangup: {} }],
  });
});
afterAll(() => t.close());

async function served(make: () => unknown): Promise<string> {
  answer = make;
  const res = await request(t.app)
    .post('/apps/probe/start')
    .send(fixture('requests/inbound-voice-session.json'))
    .expect(200);
  return res.text;
}

/** The body Tropo must get for `plain` (undecorated data), computed without the server. */
function oracle(plain: unknown): string {
  const copy: unknown = JSON.parse(JSON.stringify(plain));
  const validation = validateDocument({ tropo: copy }, { channel: 'VOICE' });
  return validation.ok && validation.document
    ? JSON.stringify({ tropo: validation.document.tropo })
    : voiceFallback;
}

describe('the served body is the normal form of what the app answered', () => {
  it('when the answer is plain data, then the body is the oracle, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (plain) => {
        expect(await served(() => plain)).toBe(oracle(plain));
      }),
      { seed: fuzz.seed, numRuns: fuzz.runs(80) },
    );
  });

  it('when its objects change after the first read or carry toJSON, symbols or proxies, then the body is still the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(answers, picks, async (plain, chosen) => {
        const expected = oracle(plain);
        const decorated = decorate(plain, new Plan(chosen));
        expect(await served(() => decorated)).toBe(expected);
      }),
      { seed: fuzz.seed, numRuns: fuzz.runs(120) },
    );
  });

  it.each([
    [
      'a Proxy whose keys differ on each look',
      () => {
        let looks = 0;
        return [
          new Proxy(
            { say: [{ value: 'hi' }] },
            {
              ownKeys: (target) => (looks++ === 0 ? Reflect.ownKeys(target) : ['say', 'hangup']),
            },
          ),
        ];
      },
    ],
    [
      'a verb list whose length lies after the first read',
      () => {
        let reads = 0;
        return new Proxy([{ say: [{ value: 'hi' }] }], {
          get: (target, key, receiver) =>
            key === 'length' && reads++ > 0 ? 5 : (Reflect.get(target, key, receiver) as unknown),
        });
      },
    ],
    [
      'a verb whose only other key is a symbol',
      () => [{ say: [{ value: 'hi' }], [Symbol('say')]: { value: 'bye' } }],
    ],
  ])('when the answer is %s, then what was read once is sent', async (_name, make) => {
    expect(await served(make)).toBe('{"tropo":[{"say":[{"value":"hi"}]}]}');
  });

  it('when a Proxy trap throws during the copy, then the fallback and APP_INVALID_DOCUMENT', async () => {
    const { proxy, revoke } = Proxy.revocable(say({ value: 'hi' }), {});
    revoke();
    expect(await served(() => [proxy])).toBe(voiceFallback);
    expect(t.logs().at(-1)).toMatchObject({ code: 'APP_INVALID_DOCUMENT', app: 'probe' });
  });
});
