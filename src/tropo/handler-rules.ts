/** Document rules about handlers (`on`): events in the wrong place, twice, or doing nothing, and asks where they never run. */
import { warn, type Rule } from './rule-kit';
import type { OnBody } from './verbs/on';

const TOP_LEVEL_ONLY_ELSEWHERE = new Map([
  ['ring', 'is a transfer event: put this handler in the transfer\'s "on"'],
  ['connect', 'is a transfer event: put this handler in the transfer\'s "on"'],
  ['join', 'is a conference event: put this handler in the conference\'s "on"'],
  ['leave', 'is a conference event: put this handler in the conference\'s "on"'],
]);

const SAY_EVENT = /^(timeout|nomatch(:\d+)?)$/;

/** Events that belong inside transfer/conference, or that are say events, used as top-level handlers. */
export const misplacedEvents: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) => {
    if ('on' in verb) {
      const event = verb.on.event;
      const elsewhere = TOP_LEVEL_ONLY_ELSEWHERE.get(event);
      if (elsewhere !== undefined) return [warn(at(i, 'event'), `"${event}" ${elsewhere}`)];
      if (SAY_EVENT.test(event)) {
        return [
          warn(
            at(i, 'event'),
            `"${event}" is not an on event: it marks a say item of an ask or record (use "incomplete" here)`,
          ),
        ];
      }
      return [];
    }
    const nested = (handlers: OnBody[] | undefined, allowed: string[], owner: string) =>
      (handlers ?? []).flatMap((handler, j) =>
        allowed.includes(handler.event)
          ? []
          : [
              warn(
                at(i, 'on', j, 'event'),
                `"${handler.event}" is not a ${owner} event; ${owner} handlers are ${allowed.join(' and ')}`,
              ),
            ],
      );
    if ('transfer' in verb) return nested(verb.transfer.on, ['ring', 'connect'], 'transfer');
    if ('conference' in verb) return nested(verb.conference.on, ['join', 'leave'], 'conference');
    return [];
  });

/** Two top-level handlers for one event: which one Tropo uses is not documented. */
export const duplicateHandlers: Rule = ({ verbs, at }) => {
  const seen = new Set<string>();
  return verbs.flatMap((verb, i) => {
    if (!('on' in verb)) return [];
    if (!seen.has(verb.on.event)) {
      seen.add(verb.on.event);
      return [];
    }
    return [
      warn(
        at(i, 'event'),
        `a second handler for "${verb.on.event}"; which one Tropo uses is not documented`,
      ),
    ];
  });
};

/** A handler with nothing to do is the same as no handler. */
export const handlerDoesNothing: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) =>
    'on' in verb &&
    verb.on.next === undefined &&
    verb.on.say === undefined &&
    verb.on.ask === undefined &&
    verb.on.post === undefined
      ? [
          warn(
            at(i),
            `the handler for "${verb.on.event}" does nothing: give it a "next" URL or a "say"`,
          ),
        ]
      : [],
  );

/** An ask inside a handler only runs in a transfer's connect handler (the whisper). */
export const askOutsideConnect: Rule = ({ verbs, at }) =>
  verbs.flatMap((verb, i) => {
    const message = 'an ask inside a handler only runs in a transfer "connect" handler';
    if ('on' in verb) return verb.on.ask !== undefined ? [warn(at(i, 'ask'), message)] : [];
    if ('transfer' in verb) {
      return (verb.transfer.on ?? []).flatMap((handler, j) =>
        handler.ask !== undefined && handler.event !== 'connect'
          ? [warn(at(i, 'on', j, 'ask'), message)]
          : [],
      );
    }
    return [];
  });
