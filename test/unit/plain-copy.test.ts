/** plainCopy: one bounded read of an app's answer into plain data, which is all the validator sees. */
import { plainCopy } from '../../src/server/document-limits';
import { say, validateDocument } from '../../src/tropo';

function copied(value: unknown): unknown {
  const result = plainCopy(value);
  if (!result.ok) throw new Error(`unexpectedly too large: ${result.tooLarge}`);
  return result.value;
}

describe('plainCopy', () => {
  it('when the answer is plain data, then the copy is equal and shares nothing with it', () => {
    const verbs = [say({ value: 'hi' }), { hangup: {} }];
    const copy = copied(verbs) as typeof verbs;
    expect(copy).toEqual(verbs);
    expect(copy).not.toBe(verbs);
    expect(copy[0]).not.toBe(verbs[0]);
  });

  it('when a property is a getter, then it is read exactly once', () => {
    let reads = 0;
    const verb = {
      get say() {
        reads += 1;
        return [{ value: `read ${reads}` }];
      },
    };
    expect(copied([verb])).toEqual([{ say: [{ value: 'read 1' }] }]);
    expect(reads).toBe(1);
  });

  it('when objects carry toJSON, symbols, functions or inherited keys, then only own enumerable data is kept', () => {
    const toJSON = jest.fn(() => 'hijacked');
    const inherited = Object.create({ inherited: 1, toJSON }) as Record<string, unknown>;
    inherited.value = 'hi';
    const list = Object.assign([{ say: [inherited] }], { toJSON, extra: 'x' });
    const verb = list[0] as Record<string | symbol, unknown>;
    verb[Symbol('s')] = 'junk';
    verb.fn = () => 'junk';
    Object.defineProperty(verb, 'hidden', { value: 'junk', enumerable: false });
    expect(copied(list)).toEqual([{ say: [{ value: 'hi' }] }]);
    expect(JSON.stringify(copied(list))).toBe('[{"say":[{"value":"hi"}]}]');
    expect(toJSON).not.toHaveBeenCalled();
  });

  it('when an array has holes, then they are read as undefined up to its length (the validator refuses them)', () => {
    const holey = [say({ value: 'hi' }), , { hangup: {} }]; // eslint-disable-line no-sparse-arrays
    const copy = copied(holey) as unknown[];
    expect(copy).toHaveLength(3);
    expect(1 in copy).toBe(true);
    expect(validateDocument({ tropo: copy }).ok).toBe(false);
  });

  it('when a key is __proto__, then it stays a data key (the validator reports it) and no prototype changes', () => {
    const verb = JSON.parse('{"say":{"value":"hi","__proto__":{"polluted":true}}}') as unknown;
    const copy = copied([verb]) as [{ say: Record<string, unknown> }];
    expect(Object.getPrototypeOf(copy[0].say)).toBe(Object.prototype);
    expect(Object.keys(copy[0].say)).toEqual(['value', '__proto__']);
    expect(validateDocument({ tropo: copy }).dropped).toEqual(['tropo[0].say.__proto__']);
  });

  it('when a Proxy trap or getter throws, then the copy throws (the app failed)', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('ownKeys');
        },
      },
    );
    expect(() => plainCopy([trap])).toThrow('ownKeys');
    const lying = new Proxy([], { get: (t, k) => (k === 'length' ? -1 : Reflect.get(t, k)) });
    expect(() => plainCopy(lying)).toThrow(/length/);
  });

  it('when a Proxy is read, then each trap runs once per key', () => {
    const gets: string[] = [];
    const proxy = new Proxy(say({ value: 'hi' }), {
      get: (t, k) => {
        gets.push(String(k));
        return Reflect.get(t, k) as unknown;
      },
    });
    copied([proxy]);
    expect(gets).toEqual(['say']);
  });
});

describe('validateDocument on unknown keys', () => {
  it('when keys are unknown, then the normal form leaves them out and dropped names each path, with a warning each', () => {
    const v = validateDocument({
      tropo: [{ say: { value: 'hi', colour: 'red' } }, { hangup: { why: 1 } }],
      extra: true,
    });
    expect(v.ok).toBe(true);
    expect(v.document).toEqual({ tropo: [{ say: [{ value: 'hi' }] }, { hangup: {} }] });
    expect(v.dropped.sort()).toEqual(['extra', 'tropo[0].say.colour', 'tropo[1].hangup.why']);
    const warned = v.issues.filter((i) => i.severity === 'warning').map((i) => i.path);
    expect(warned.sort()).toEqual(v.dropped);
  });

  it('when the document is valid and has no unknown keys, then nothing is dropped', () => {
    expect(validateDocument({ tropo: [say({ value: 'hi' })] }).dropped).toEqual([]);
  });
});
