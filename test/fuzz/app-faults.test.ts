/**
 * Property-based fault injection into apps: an app that throws anything, rejects, hangs, answers
 * late, or returns garbage, huge or booby-trapped documents still yields a valid Tropo document
 * (the fallback), with an error log line. "In time" is judged by which guard answered, not by a
 * clock: a hang can only be answered by the APP_TIMEOUT timer, and a huge document must be refused
 * by the cheap size check (APP_DOCUMENT_TOO_LARGE) before anything walks it.
 */
import fc from 'fast-check';
import request from 'supertest';
import { defineApp, type AppAnswer } from '../../src/sdk/define-app';
import { AppRegistry, moduleApp } from '../../src/server/registry';
import { hangup, say, validateDocument, type Verb } from '../../src/tropo';
import { builtVerb } from '../helpers/arbitraries';
import { fuzz, replayHint } from '../helpers/fuzz-settings';
import { Counts } from '../helpers/hostile-http';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

const APP_TIMEOUT_MS = 100;
const FALLBACK_CODES = [
  'APP_THREW',
  'APP_TIMEOUT',
  'APP_INVALID_DOCUMENT',
  'APP_DOCUMENT_TOO_LARGE',
] as const;

/** One injected fault: what the app does, and whether a fallback is certain. */
interface Fault {
  kind: string;
  run: () => AppAnswer;
  /** True when the answer must be the fallback (false: garbage that might happen to be valid). */
  fails: boolean;
  /** The guard that must answer, where only one can (a hang, a huge document). */
  code?: (typeof FALLBACK_CODES)[number];
}

function fault(
  kind: string,
  run: () => unknown,
  fails = true,
  code?: (typeof FALLBACK_CODES)[number],
): Fault {
  return { kind, run: run as () => AppAnswer, fails, ...(code === undefined ? {} : { code }) };
}

const TOO_LARGE = 'APP_DOCUMENT_TOO_LARGE';

const later = <T>(ms: number, act: () => T) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(act());
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- apps may reject with anything; that is the fault under test
        reject(err);
      }
    }, ms),
  );

function throwingGetter(): unknown {
  return {
    get say(): unknown {
      throw new Error('getter');
    },
  };
}

function trap(): unknown {
  return new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('ownKeys');
      },
      get: () => {
        throw new Error('get');
      },
    },
  );
}

function cycle(): unknown {
  const verb: Record<string, unknown> = { say: [{ value: 'x' }] };
  verb.self = verb;
  return [verb];
}

/** Values that break naive code: no prototype, throwing conversions, errors whose fields throw. */
const nasty = fc.constantFrom<() => unknown>(
  () => Object.create(null),
  () => ({
    toString: () => {
      throw new Error('toString');
    },
  }),
  () => {
    const e = new Error('x');
    Object.defineProperty(e, 'message', {
      get() {
        throw new Error('message getter');
      },
    });
    return e;
  },
  () => Symbol('s'),
  () => 10n,
  () => undefined,
  () => null,
);

const thrown = fc.oneof(
  fc.anything().map((v) => () => v),
  nasty,
);

/** Faults found by hand or by the fuzzer; each also runs on its own below. */
const NAMED_FAULTS: Fault[] = [
  fault('throwing getter', () => [throwingGetter()]),
  fault('throwing proxy document', () => trap()),
  fault('throwing proxy verb', () => [trap()]),
  fault('cyclic verb', cycle, true, TOO_LARGE),
  fault('200 000 verbs', () => Array.from({ length: 200_000 }, () => hangup()), true, TOO_LARGE),
  fault('a 20 MB say', () => [say({ value: 'x'.repeat(20 * 1024 * 1024) })], true, TOO_LARGE),
  fault('a sparse billion', () => new Array(1e9), true, TOO_LARGE),
  fault('hangs', () => new Promise(() => undefined), true, 'APP_TIMEOUT'),
  fault('throws a null-prototype object', () => {
    throw Object.create(null);
  }),
  fault('rejects with an error whose message getter throws', () => {
    const e = new Error('x');
    Object.defineProperty(e, 'message', {
      get() {
        throw new Error('message getter');
      },
    });
    return Promise.reject(e);
  }),
  fault(
    '300 KB of UTF-8 in 150 000 characters',
    () => [say({ value: 'é'.repeat(150_000) })],
    true,
    TOO_LARGE,
  ),
  fault(
    '300 KB of valid verbs',
    () => Array.from({ length: 3_000 }, (_, i) => say({ value: `${i} ${'y'.repeat(100)}` })),
    true,
    TOO_LARGE,
  ),
];

const faults: fc.Arbitrary<Fault> = fc.oneof(
  thrown.map((v) =>
    fault('throws', () => {
      throw v();
    }),
  ),
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with non-Errors is the fault under test
  thrown.map((v) => fault('rejects', () => Promise.reject(v()))),
  fc.constant(fault('hangs', () => new Promise(() => undefined), true, 'APP_TIMEOUT')),
  fc.constant(
    fault('answers late', () => later(APP_TIMEOUT_MS * 3, () => [hangup()]), true, 'APP_TIMEOUT'),
  ),
  thrown.map((v) =>
    fault('rejects late', () =>
      later(APP_TIMEOUT_MS * 2, () => {
        throw v();
      }),
    ),
  ),
  fc
    .anything({ withBoxedValues: true, withNullPrototype: true, withSparseArray: true })
    .map((v) => fault('returns anything', () => v, false)),
  fc
    .array(fc.anything({ withNullPrototype: true }), { maxLength: 4 })
    .map((v) => fault('returns an array of anything', () => v, false)),
  { arbitrary: fc.constantFrom(...NAMED_FAULTS), weight: 3 },
  fc
    .array(builtVerb, { minLength: 1, maxLength: 4 })
    .map((verbs: Verb[]) => fault('valid verbs', () => verbs, false)),
);

describe('apps that fail in every way', () => {
  let current: Fault = fault('none', () => [hangup()], false);
  const counts = new Counts();
  let t: TestApp;

  beforeAll(() => {
    const faulty = defineApp({
      name: 'faulty',
      description: 'does whatever the fuzzer says',
      channels: ['voice'],
      start: () => current.run(),
      on: { next: () => current.run() },
    });
    t = buildTestApp(
      { APP_TIMEOUT_MS: String(APP_TIMEOUT_MS) },
      { registry: new AppRegistry([moduleApp(faulty)]) },
    );
  });

  afterAll(async () => {
    await t.close();
    console.log(counts.report(`app faults injected, ${replayHint()}`));
  });

  it.each(NAMED_FAULTS.map((f) => [f.kind, f] as const))(
    'when the app does this: %s, then the fallback document in time and APP_* logged',
    async (_kind, f) => {
      current = f;
      counts.add('named', f.kind);
      const res = await request(t.app)
        .post('/apps/faulty/start')
        .send(fixture('requests/inbound-voice-session.json'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tropo: [{ say: [{ value: t.config.fallback.voiceMessage }] }, { hangup: {} }],
      });
      const code = t.logs().find((l) => l.errorId === res.headers['x-error-id'])?.code;
      expect(code).toMatch(/^APP_(THREW|TIMEOUT|INVALID_DOCUMENT|DOCUMENT_TOO_LARGE)$/);
      if (f.code !== undefined) expect(code).toBe(f.code);
    },
  );

  it('when an app throws, hangs or returns garbage, then Tropo gets a valid document in time and the failure is logged', async () => {
    const voiceSession = fixture('requests/inbound-voice-session.json');
    const result = fixture('requests/ivr-choice-result.json');
    const fallback = {
      tropo: [{ say: [{ value: t.config.fallback.voiceMessage }] }, { hangup: {} }],
    };
    await fc.assert(
      fc.asyncProperty(faults, fc.boolean(), async (f, atStart) => {
        current = f;
        counts.add(atStart ? 'start' : 'handler', f.kind);
        const before = t.logs().length;
        const res = await request(t.app)
          .post(atStart ? '/apps/faulty/start' : '/apps/faulty/on/next')
          .send(atStart ? voiceSession : result);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(validateDocument(res.body).ok).toBe(true);
        const failure = t
          .logs()
          .slice(before)
          .find((l) => (FALLBACK_CODES as readonly unknown[]).includes(l.code));
        if (f.fails) {
          expect(res.body).toEqual(fallback);
          expect(failure).toMatchObject({ level: 'error', app: 'faulty' });
          expect(res.headers['x-error-id']).toBe(failure?.errorId);
          if (f.code !== undefined) expect(failure?.code).toBe(f.code);
        } else if (failure) {
          expect(res.body).toEqual(fallback);
        }
      }),
      { seed: fuzz.seed, numRuns: fuzz.runs(60) },
    );
    // Late rejections land after their request was answered: let them, so a leak would show here.
    await new Promise((resolve) => setTimeout(resolve, APP_TIMEOUT_MS * 3));
  });
});
