/** Document-level rules: valid documents that probably do not do what their author meant, reported as warnings. */
import { TEXT_NETWORKS, type Channel } from './fields';
import { formatPath, type Issue, type Segment } from './issues';
import { hasOwn, isObject } from './json';
import type { NormalDocument, VerbName } from './schema';
import {
  askOutsideConnect,
  duplicateHandlers,
  handlerDoesNothing,
  misplacedEvents,
} from './handler-rules';
import { warn, type Rule, type RuleContext } from './rule-kit';
import type { AskBody } from './verbs/ask';

/** Where a normal verb came from: the path of its body in the input, and that raw body. */
export interface Origin {
  path: readonly Segment[];
  raw: unknown;
}

/** Maps normal-form segments to the input's: a list index is dropped where the input had one object. */
function inputPath(origin: Origin, segments: readonly Segment[]): string {
  const out: Segment[] = [...origin.path];
  let node = origin.raw;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (Array.isArray(node)) {
        out.push(segment);
        node = node[segment];
      }
    } else {
      out.push(segment);
      node = isObject(node) && hasOwn(node, segment) ? node[segment] : undefined;
    }
  }
  return formatPath(out);
}

function isSilentSignals(signals: string | string[]): boolean {
  return Array.isArray(signals) ? signals.length === 0 : signals === '';
}

/** A `redirect` only works before the call is answered, alone in its document. */
const redirectAloneAndFirst: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) =>
    'redirect' in verb && verbs.length > 1
      ? [
          warn(
            at(i),
            i === 0
              ? 'redirect must be alone in its document: it sends the call elsewhere before answering, so the other verbs never run'
              : 'redirect must be the first and only verb of its document: it only works before the call is answered',
          ),
        ]
      : [],
  );

const ANY_GRAMMAR = /\[ANY\]/i;
const ANY_GRAMMAR_MESSAGE =
  'the [ANY] grammar only works on a text channel; on a voice call this ask cannot match';

function any(ask: AskBody): boolean {
  return ANY_GRAMMAR.test(ask.choices.value);
}

/** The `[ANY]` grammar only matches text; on a voice call the ask cannot succeed. */
const anyGrammarOnVoice: Rule = ({ verbs, channel, at }) => {
  const message = ANY_GRAMMAR_MESSAGE;
  return verbs.flatMap((verb, i) => {
    if ('ask' in verb) {
      return channel === 'VOICE' && any(verb.ask) ? [warn(at(i, 'choices', 'value'), message)] : [];
    }
    if ('transfer' in verb) {
      // Connect handlers run on the called party's voice leg whatever the session's channel.
      return (verb.transfer.on ?? []).flatMap((handler, j) =>
        handler.ask !== undefined && any(handler.ask)
          ? [warn(at(i, 'on', j, 'ask', 'choices', 'value'), message)]
          : [],
      );
    }
    return [];
  });
};

/** record, transfer and conference need a voice call. */
const voiceOnlyInText: Rule = ({ verbs, channel, at }) =>
  channel !== 'TEXT'
    ? []
    : verbs.flatMap((verb, i) => {
        const name =
          'record' in verb
            ? 'record'
            : 'transfer' in verb
              ? 'transfer'
              : 'conference' in verb
                ? 'conference'
                : undefined;
        return name === undefined
          ? []
          : [warn(at(i), `${name} only works on a voice call; in a text session it fails`)];
      });

/** Tropo discourages ask over SMS and may block it. */
const askOverText: Rule = ({ verbs, channel, at }) =>
  channel !== 'TEXT'
    ? []
    : verbs.flatMap((verb, i) =>
        'ask' in verb
          ? [
              warn(
                at(i),
                'ask over a text channel is discouraged by Tropo and may be blocked; prefer replying with say and handling the next text as a new session',
              ),
            ]
          : [],
      );

/** Without a `continue` handler that has `next`, nobody receives the answer to an ask. */
const askWithoutContinue: Rule = ({ verbs, at }) => {
  const first = verbs.findIndex((verb) => 'ask' in verb);
  if (first === -1) return [];
  const delivered = verbs.some(
    (verb) => 'on' in verb && verb.on.event === 'continue' && verb.on.next !== undefined,
  );
  return delivered
    ? []
    : [
        warn(
          at(first),
          'no "on" handler for "continue" with a "next" URL: the answer to this ask is never sent to the app',
        ),
      ];
};

/** An ask without say, or whose say items are all tied to events, has nothing to play first. */
const askWithoutPrompt: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) => {
    if (!('ask' in verb)) return [];
    const say = verb.ask.say;
    if (say === undefined) {
      return [
        warn(
          at(i),
          'the ask has no "say", so it plays no prompt before listening (Tropo requires only "choices")',
        ),
      ];
    }
    return say.every((item) => item.event !== undefined)
      ? [
          warn(
            at(i, 'say'),
            'every say item has an "event", so the ask plays no prompt before listening',
          ),
        ]
      : [];
  });

/** Nothing runs after hangup or reject (on handlers are not executed in order, so they are fine). */
const verbsAfterEnd: Rule = ({ verbs, at }) => {
  const end = verbs.findIndex((verb) => 'hangup' in verb || 'reject' in verb);
  if (end === -1) return [];
  const ender = 'hangup' in (verbs[end] ?? {}) ? 'hangup' : 'reject';
  return verbs.flatMap((verb, i) =>
    i > end && !('on' in verb)
      ? [warn(at(i), `never runs: it comes after ${ender}, which ends the call`)]
      : [],
  );
};

/** call only works when the session has no call yet, i.e. when launched through the Session API. */
const callInInboundSession: Rule = ({ verbs, channel, at }) =>
  channel === undefined
    ? []
    : verbs.flatMap((verb, i) =>
        'call' in verb
          ? [
              warn(
                at(i),
                'call starts a new call, but this inbound session already has one; use transfer to connect the caller, or message to send a text',
              ),
            ]
          : [],
      );

/** A text network needs channel TEXT, and a voice network channel VOICE (the default). */
const networkChannelMismatch: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) => {
    const body = 'call' in verb ? verb.call : 'message' in verb ? verb.message : undefined;
    if (body?.network === undefined) return [];
    const channel = body.channel ?? 'VOICE';
    const textNetwork = TEXT_NETWORKS.has(body.network);
    if (textNetwork && channel !== 'TEXT') {
      return [
        warn(
          at(i, 'network'),
          `network ${body.network} carries text but the channel is VOICE${body.channel === undefined ? ' (the default)' : ''}: set "channel":"TEXT"`,
        ),
      ];
    }
    if (!textNetwork && channel === 'TEXT') {
      return [
        warn(
          at(i, 'network'),
          `channel TEXT needs a text network such as SMS, not ${body.network}`,
        ),
      ];
    }
    return [];
  });

/** record only plays event prompts for `timeout`. */
const recordSayEvents: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) =>
    'record' in verb
      ? (verb.record.say ?? []).flatMap((item, k) =>
          item.event !== undefined && item.event !== 'timeout'
            ? [
                warn(
                  at(i, 'say', k, 'event'),
                  `record only plays say items for the "timeout" event, not "${item.event}"`,
                ),
              ]
            : [],
        )
      : [],
  );

/** transfer and conference can only be interrupted by a signal when they have a terminator. */
const signalsNeedTerminator: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) => {
    const message =
      'allowSignals has no effect here without a terminator: a signal can only interrupt a transfer or conference that has one';
    if ('transfer' in verb) {
      const { allowSignals, choices } = verb.transfer;
      return allowSignals !== undefined &&
        !isSilentSignals(allowSignals) &&
        choices?.terminator === undefined
        ? [warn(at(i, 'allowSignals'), message)]
        : [];
    }
    if ('conference' in verb) {
      const { allowSignals, terminator } = verb.conference;
      return allowSignals !== undefined &&
        !isSilentSignals(allowSignals) &&
        terminator === undefined
        ? [warn(at(i, 'allowSignals'), message)]
        : [];
    }
    return [];
  });

/** maskTemplate is only used with asrLogSecurity "mask". */
const maskTemplateWithoutMask: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) =>
    'ask' in verb && verb.ask.maskTemplate !== undefined && verb.ask.asrLogSecurity !== 'mask'
      ? [warn(at(i, 'maskTemplate'), 'maskTemplate is only used when asrLogSecurity is "mask"')]
      : [],
  );

/** Media attachments need the MMS network. */
const mediaWithoutMms: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) =>
    'message' in verb && verb.message.network !== 'MMS'
      ? verb.message.say.flatMap((item, k) =>
          item.media !== undefined
            ? [
                warn(
                  at(i, 'say', k, 'media'),
                  'media is only sent when the message\'s network is "MMS"',
                ),
              ]
            : [],
        )
      : [],
  );

/**
 * Every rule with the verbs it reads, in the order their warnings are listed. A rule only ever
 * warns about a document holding one of its verbs, so a document runs just the rules of its verbs
 * (a reminder's call and say: 2 of 17), which halves the cost of validating an answer.
 */
const RULES: readonly (readonly [Rule, readonly VerbName[]])[] = [
  [redirectAloneAndFirst, ['redirect']],
  [verbsAfterEnd, ['hangup', 'reject']],
  [callInInboundSession, ['call']],
  [voiceOnlyInText, ['record', 'transfer', 'conference']],
  [askOverText, ['ask']],
  [anyGrammarOnVoice, ['ask', 'transfer']],
  [askWithoutContinue, ['ask']],
  [askWithoutPrompt, ['ask']],
  [maskTemplateWithoutMask, ['ask']],
  [networkChannelMismatch, ['call', 'message']],
  [mediaWithoutMms, ['message']],
  [misplacedEvents, ['on', 'transfer', 'conference']],
  [duplicateHandlers, ['on']],
  [handlerDoesNothing, ['on']],
  [askOutsideConnect, ['on', 'transfer']],
  [recordSayEvents, ['record']],
  [signalsNeedTerminator, ['transfer', 'conference']],
];

/**
 * Runs the document-level rules over a valid, normalised document; returns warnings only.
 * `rules: 'all'` runs every rule whatever the verbs, for the test that keeps the table honest.
 */
export function checkDocumentRules(
  document: NormalDocument,
  origins: readonly Origin[],
  options: { channel?: Channel | undefined },
  rules: 'relevant' | 'all' = 'relevant',
): Issue[] {
  const ctx: RuleContext = {
    verbs: document.tropo,
    channel: options.channel,
    at: (index, ...segments) => {
      const origin = origins[index];
      return origin === undefined ? formatPath(['tropo', index]) : inputPath(origin, segments);
    },
  };
  const present = new Set<string>();
  for (const verb of document.tropo) for (const name in verb) present.add(name);
  const issues: Issue[] = [];
  for (const [rule, reads] of RULES) {
    if (rules === 'all' || reads.some((name) => present.has(name))) issues.push(...rule(ctx));
  }
  return issues;
}
