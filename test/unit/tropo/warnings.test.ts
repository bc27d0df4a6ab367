/** Warnings never make a document invalid: unknown and legacy keys, and each document-level rule. */
import { validateDocument, type Issue } from '../../../src/tropo';
import { warningsOf } from '../../helpers/tropo';

const continueNext = { on: { event: 'continue', next: '/next' } };
const ask = (extra: object = {}) => ({
  ask: { say: { value: 'Zip?' }, choices: { value: '[5 DIGITS]' }, ...extra },
});

/** The warnings of a document made of `verbs` whose message matches `pattern`. */
function matching(verbs: unknown[], pattern: RegExp, channel?: 'VOICE' | 'TEXT'): Issue[] {
  return warningsOf({ tropo: verbs }, { channel }).filter((w) => pattern.test(w.message));
}

describe('unknown and legacy keys', () => {
  it('when a verb has an unknown key, then a warning names it and the key is left out of the normal form', () => {
    const validation = validateDocument({ tropo: [{ say: { value: 'Hi', colour: 'blue' } }] });
    expect(validation.ok).toBe(true);
    expect(validation.issues).toEqual([
      {
        path: 'tropo[0].say.colour',
        message: 'unknown key "colour" is not part of the WebAPI and is ignored',
        severity: 'warning',
      },
    ]);
    expect(validation.document).toEqual({ tropo: [{ say: [{ value: 'Hi' }] }] });
  });

  it('when an unknown key is a misspelling of a known one (Ruby snake_case), then the warning suggests it', () => {
    const warnings = warningsOf({
      tropo: [
        { record: { url: 'http://a', transcription: { url: 'mailto:a', email_format: 'plain' } } },
      ],
    });
    expect(warnings).toEqual([
      {
        path: 'tropo[0].record.transcription.email_format',
        message:
          'unknown key "email_format" is not part of the WebAPI and is ignored (did you mean "emailFormat"?)',
        severity: 'warning',
      },
    ]);
  });

  it('when unknown keys sit deep inside arrays and nested verbs, then each is reported at its place', () => {
    const warnings = warningsOf({
      tropo: [
        {
          transfer: {
            to: '1',
            on: [
              {
                event: 'connect',
                ask: { say: [{ value: 'x', x: 1 }], choices: { value: '1', y: 2 } },
              },
            ],
          },
        },
      ],
    });
    expect(warnings.map((w) => w.path).sort()).toEqual([
      'tropo[0].transfer.on[0].ask.choices.y',
      'tropo[0].transfer.on[0].ask.say[0].x',
    ]);
  });

  it('when a key sits next to "tropo", then it is reported and ignored', () => {
    expect(warningsOf({ tropo: [], version: 2 })).toEqual([
      {
        path: 'version',
        message: 'unknown key "version" next to "tropo" is ignored',
        severity: 'warning',
      },
    ]);
  });

  it.each([
    ['sendTones', { conference: { id: 'a', sendTones: true } }, 'tropo[0].conference.sendTones'],
    ['exitTone', { record: { url: 'http://a', exitTone: '#' } }, 'tropo[0].record.exitTone'],
    ['silenceTimeout', ask({ silenceTimeout: 5 }), 'tropo[0].ask.silenceTimeout'],
    ['require', ask({ require: true }), 'tropo[0].ask.require'],
    ['recording', { call: { to: '1', recording: { url: 'http://a' } } }, 'tropo[0].call.recording'],
    [
      'from (on redirect)',
      { redirect: { to: 'sip:a@b', from: 'sip:c@d' } },
      'tropo[0].redirect.from',
    ],
  ])('when the legacy key %s is used, then the warning says it is legacy', (_key, verb, path) => {
    const warnings = matching([verb, continueNext], /legacy key/);
    expect(warnings.map((w) => w.path)).toEqual([path]);
  });

  it('when termChar is used, then the warning names the key it became', () => {
    const [warning] = matching(
      [{ record: { url: 'http://a', choices: { termChar: '#' } } }],
      /legacy/,
    );
    expect(warning?.message).toBe(
      'legacy key "termChar" (the old name of "terminator") is not part of the current WebAPI (only 2010-era libraries sent it) and is ignored',
    );
  });

  it('when from is on a call (where it is current), then no legacy warning is given', () => {
    expect(matching([{ call: { to: '1', from: '2' } }], /legacy/)).toEqual([]);
  });
});

describe('document rules', () => {
  it('when redirect is not alone, then it is flagged; alone, it is not', () => {
    expect(matching([{ redirect: { to: 'a' } }], /redirect/)).toEqual([]);
    expect(
      matching([{ redirect: { to: 'a' } }, { say: { value: 'x' } }], /redirect must be alone/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].redirect' })]);
    expect(
      matching([{ say: { value: 'x' } }, { redirect: { to: 'a' } }], /redirect must be the first/),
    ).toEqual([expect.objectContaining({ path: 'tropo[1].redirect' })]);
  });

  it('when an [ANY] grammar is used on a voice channel, then it is flagged (not on text, nor when the channel is unknown)', () => {
    const verbs = [ask({ choices: { value: '[ANY]' } }), continueNext];
    expect(matching(verbs, /\[ANY\]/, 'VOICE')).toEqual([
      expect.objectContaining({ path: 'tropo[0].ask.choices.value' }),
    ]);
    expect(matching(verbs, /\[ANY\]/, 'TEXT')).toEqual([]);
    expect(matching(verbs, /\[ANY\]/)).toEqual([]);
  });

  it('when a transfer connect ask uses [ANY], then it is flagged whatever the channel', () => {
    const verbs = [
      {
        transfer: {
          to: '1',
          on: { event: 'connect', ask: { say: { value: 'x' }, choices: { value: '[any]' } } },
        },
      },
    ];
    expect(matching(verbs, /\[ANY\]/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].transfer.on.ask.choices.value' }),
    ]);
  });

  it.each(['record', 'transfer', 'conference'])(
    'when %s is used in a text session, then it is flagged as voice-only',
    (verb) => {
      const body = { record: { url: 'http://a' }, transfer: { to: '1' }, conference: { id: 'a' } }[
        verb
      ];
      const verbs = [{ [verb]: body }];
      expect(matching(verbs, /only works on a voice call/, 'TEXT')).toEqual([
        expect.objectContaining({ path: `tropo[0].${verb}` }),
      ]);
      expect(matching(verbs, /only works on a voice call/, 'VOICE')).toEqual([]);
    },
  );

  it('when ask is used in a text session, then it is flagged as discouraged', () => {
    const verbs = [ask(), continueNext];
    expect(matching(verbs, /discouraged/, 'TEXT')).toEqual([
      expect.objectContaining({ path: 'tropo[0].ask' }),
    ]);
    expect(matching(verbs, /discouraged/, 'VOICE')).toEqual([]);
  });

  it('when a document asks but has no continue handler with next, then the ask is flagged', () => {
    expect(matching([ask()], /never sent to the app/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].ask' }),
    ]);
    expect(
      matching([ask(), { on: { event: 'continue', say: { value: 'x' } } }], /never sent/),
    ).toHaveLength(1);
    expect(matching([ask(), continueNext], /never sent/)).toEqual([]);
  });

  it('when every say item of an ask has an event, then the ask is flagged for having no prompt', () => {
    const verbs = [ask({ say: [{ value: 'Sorry', event: 'nomatch' }] }), continueNext];
    expect(matching(verbs, /no prompt/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].ask.say' }),
    ]);
    expect(matching([ask(), continueNext], /no prompt/)).toEqual([]);
  });

  it('when an ask has no say at all, then it is valid (Tropo requires only choices) and warned of', () => {
    const document = {
      tropo: [{ ask: { choices: { value: '[1 DIGIT]' }, name: 'key' } }, continueNext],
    };
    const validation = validateDocument(document);
    expect(validation.ok).toBe(true);
    expect(validation.issues).toEqual([
      {
        path: 'tropo[0].ask',
        message:
          'the ask has no "say", so it plays no prompt before listening (Tropo requires only "choices")',
        severity: 'warning',
      },
    ]);
    // The normal form keeps it without a say, as written.
    expect(validation.document?.tropo[0]).toEqual({
      ask: { choices: { value: '[1 DIGIT]' }, name: 'key' },
    });
  });

  it('when verbs follow hangup or reject, then each is flagged; on handlers are not', () => {
    const verbs = [
      { hangup: null },
      { say: { value: 'x' } },
      { on: { event: 'hangup', next: '/h' } },
      { wait: { milliseconds: 1 } },
    ];
    expect(matching(verbs, /after hangup/).map((w) => w.path)).toEqual([
      'tropo[1].say',
      'tropo[3].wait',
    ]);
    expect(matching([{ reject: {} }, { say: { value: 'x' } }], /after reject/)).toHaveLength(1);
  });

  it('when call is used in an inbound session, then it is flagged; in a token session (no channel), it is not', () => {
    const verbs = [{ call: { to: '1' } }];
    expect(matching(verbs, /already has one/, 'VOICE')).toEqual([
      expect.objectContaining({ path: 'tropo[0].call' }),
    ]);
    expect(matching(verbs, /already has one/, 'TEXT')).toHaveLength(1);
    expect(matching(verbs, /already has one/)).toEqual([]);
  });

  it('when a text network meets the VOICE channel (or the reverse), then the network is flagged', () => {
    expect(
      matching(
        [{ message: { to: '1', say: { value: 'x' }, network: 'SMS' } }],
        /channel is VOICE \(the default\)/,
      ),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].message.network' })]);
    expect(
      matching([{ call: { to: '1', network: 'PSTN', channel: 'TEXT' } }], /needs a text network/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].call.network' })]);
    expect(matching([{ call: { to: '1', network: 'SMS', channel: 'TEXT' } }], /network/)).toEqual(
      [],
    );
  });

  it('when a message has media but is not MMS, then the media is flagged', () => {
    const media = { value: 'x', media: 'http://a/1.jpg' };
    expect(
      matching([{ message: { to: '1', say: media, network: 'SMS', channel: 'TEXT' } }], /MMS/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].message.say.media' })]);
    expect(
      matching([{ message: { to: '1', say: media, network: 'MMS', channel: 'TEXT' } }], /MMS/),
    ).toEqual([]);
  });

  it('when a top-level handler uses a transfer, conference or say event, then the event is flagged', () => {
    expect(matching([{ on: { event: 'ring', say: { value: 'x' } } }], /transfer event/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].on.event' }),
    ]);
    expect(
      matching([{ on: [{ event: 'join', say: { value: 'x' } }] }], /conference event/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].on[0].event' })]);
    expect(matching([{ on: { event: 'nomatch:2', next: '/n' } }], /not an on event/)).toHaveLength(
      1,
    );
    expect(matching([{ on: { event: 'exit', next: '/n' } }], /event/)).toEqual([]);
  });

  it('when a transfer or conference handler has an event of the other kind, then it is flagged', () => {
    expect(
      matching(
        [{ transfer: { to: '1', on: [{ event: 'continue', next: '/n' }] } }],
        /not a transfer event/,
      ),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].transfer.on[0].event' })]);
    expect(
      matching(
        [{ conference: { id: 'a', on: { event: 'ring', say: { value: 'x' } } } }],
        /not a conference event/,
      ),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].conference.on.event' })]);
  });

  it('when two top-level handlers share an event, then the second is flagged', () => {
    expect(
      matching([continueNext, { on: { event: 'continue', next: '/other' } }], /second handler/),
    ).toEqual([expect.objectContaining({ path: 'tropo[1].on.event' })]);
  });

  it('when a handler has neither next, say, ask nor post, then it is flagged', () => {
    expect(matching([{ on: { event: 'hangup' } }], /does nothing/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].on' }),
    ]);
  });

  it('when an ask sits in a handler other than a transfer connect, then it is flagged', () => {
    const inner = { say: { value: 'x' }, choices: { value: '1' } };
    expect(
      matching([{ on: { event: 'continue', ask: inner } }], /only runs in a transfer "connect"/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].on.ask' })]);
    expect(
      matching([{ transfer: { to: '1', on: [{ event: 'ring', ask: inner }] } }], /only runs/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].transfer.on[0].ask' })]);
    expect(
      matching([{ transfer: { to: '1', on: [{ event: 'connect', ask: inner }] } }], /only runs/),
    ).toEqual([]);
  });

  it('when a record say item has an event other than timeout, then it is flagged', () => {
    const verbs = [
      {
        record: {
          url: 'http://a',
          say: [
            { value: 'x', event: 'nomatch' },
            { value: 'y', event: 'timeout' },
          ],
        },
      },
    ];
    expect(matching(verbs, /record only plays/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].record.say[0].event' }),
    ]);
  });

  it('when a transfer or conference allows signals without a terminator, then allowSignals is flagged', () => {
    expect(
      matching([{ transfer: { to: '1', allowSignals: 'exit' } }], /without a terminator/),
    ).toEqual([expect.objectContaining({ path: 'tropo[0].transfer.allowSignals' })]);
    expect(
      matching([{ conference: { id: 'a', allowSignals: ['exit'] } }], /without a terminator/),
    ).toHaveLength(1);
    expect(
      matching([{ conference: { id: 'a', allowSignals: 'exit', terminator: '#' } }], /terminator/),
    ).toEqual([]);
    expect(matching([{ transfer: { to: '1', allowSignals: '' } }], /terminator/)).toEqual([]);
  });

  it('when maskTemplate is given without asrLogSecurity mask, then it is flagged', () => {
    expect(matching([ask({ maskTemplate: 'XXD-' }), continueNext], /maskTemplate/)).toEqual([
      expect.objectContaining({ path: 'tropo[0].ask.maskTemplate' }),
    ]);
    expect(
      matching(
        [ask({ maskTemplate: 'XXD-', asrLogSecurity: 'mask' }), continueNext],
        /maskTemplate/,
      ),
    ).toEqual([]);
  });

  it('when rules flag several elements, then the warnings come in document order', () => {
    const warnings = warningsOf({
      tropo: [{ hangup: null }, { say: { value: 'x', extra: 1 } }, { redirect: { to: 'a' } }],
    });
    const elements = warnings.map((w) => Number(/^tropo\[(\d+)\]/.exec(w.path)?.[1]));
    expect(elements).toEqual([...elements].sort((a, b) => a - b));
    expect(warnings.length).toBeGreaterThanOrEqual(4);
  });
});
