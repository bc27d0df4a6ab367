/** Executing one document (§9): its `on` handlers, its verbs in order through the dispatcher, the event a verb fires, and the result POSTed to the handler's next URL. */
import type { NormalDocument, Verb } from '../../tropo';
import type { ResultPayload } from '../result-builder';
import { SUPPRESSED, maskInput } from '../transcript';
import { resolveNextUrl } from '../url';
import type { ActionEntry, DocumentRun, Hide } from '../verbs/context';
import { runVerb } from '../verbs';
import { verbName } from './common';
import type { SessionRun } from './run';

/** How a document is left. */
export type Leave =
  | { kind: 'post'; url: string; payload: ResultPayload; shown: ResultPayload; run: DocumentRun }
  | { kind: 'end'; reason: string }
  | { kind: 'failed'; reason: string };

function requiredFalse(verb: Verb): boolean {
  if ('say' in verb) return verb.say.every((item) => item.required === false);
  const body = Object.values(verb)[0] as unknown;
  return (
    typeof body === 'object' && body !== null && (body as { required?: unknown }).required === false
  );
}

const RECOGNITION_FIELDS = ['interpretation', 'utterance', 'value', 'concept'] as const;

function hideAction(action: Record<string, string | number>, hide: Hide): void {
  if (hide === 'none') return;
  for (const key of RECOGNITION_FIELDS) {
    const value = action[key];
    if (typeof value !== 'string') continue;
    action[key] = hide === 'suppress' ? SUPPRESSED : maskInput(value, hide.mask);
  }
  if (typeof action.xml === 'string') action.xml = SUPPRESSED;
}

/** The transcript's copy of a result, with recognised input hidden where the ask asked for it. */
function hiddenResult(payload: ResultPayload, entries: readonly ActionEntry[]): ResultPayload {
  if (entries.every((e) => e.hide === 'none')) return payload;
  const copy = JSON.parse(JSON.stringify(payload)) as ResultPayload;
  const actions = copy.result.actions;
  const list = actions === undefined ? [] : Array.isArray(actions) ? actions : [actions];
  list.forEach((action, i) => hideAction(action, entries[i]?.hide ?? 'none'));
  return copy;
}

/** Runs the verbs of `document` (fetched from `url`) until one fires an event or the document ends. */
export async function executeDocument(
  session: SessionRun,
  document: NormalDocument,
  url: string,
): Promise<Leave> {
  const run: DocumentRun = { url, handlers: new Map(), actions: [], userType: undefined };
  const verbs: Verb[] = [];
  for (const verb of document.tropo) {
    if ('on' in verb) {
      // Two handlers for one event: the first one is used (the validator warns).
      if (!run.handlers.has(verb.on.event)) run.handlers.set(verb.on.event, verb.on);
    } else {
      verbs.push(verb);
    }
  }
  if (session.state === 'RINGING') {
    // §9.5: Tropo answers once it has the first document, unless that document refuses the call.
    const first = verbs[0];
    const refuses = first && ('redirect' in first || 'reject' in first || 'answer' in first);
    if (!refuses) session.answerCall(undefined);
  }
  for (const verb of verbs) {
    const step = await runVerb(session, verb, run);
    if (step.kind === 'next') continue;
    if (step.kind === 'stop') return { kind: 'end', reason: step.reason };
    if (step.event === 'incomplete' && requiredFalse(verb)) {
      session.line('tropo', `The ${verbName(verb)} is not required: Tropo goes on`);
      continue;
    }
    session.line('tropo', `Tropo fires "${step.event}"`);
    return fire(session, run, step.event, step.error ?? null);
  }
  return fire(session, run, 'continue', null);
}

function fire(session: SessionRun, run: DocumentRun, name: string, error: string | null): Leave {
  const handler = run.handlers.get(name);
  if (!handler) {
    if (name === 'continue') return endOfDocument(session, run, error);
    session.line('tropo', `No handler for "${name}": "continue" is the catch-all`);
    return fire(session, run, 'continue', error);
  }
  if (handler.say) session.playHandlerSay(handler.say);
  if (handler.next !== undefined) return leaveTo(session, run, handler.next, error);
  if (name === 'continue') return endOfDocument(session, run, error);
  // §5.8.2: a handler with a say and no next plays it, then proceeds to continue.
  return fire(session, run, 'continue', error);
}

function endOfDocument(session: SessionRun, run: DocumentRun, error: string | null): Leave {
  if (session.callActive()) {
    const text = session.channel === 'TEXT';
    session.line(
      'tropo',
      `No "continue" handler with a next URL: Tropo ${text ? 'ends the conversation' : 'hangs up'}`,
    );
    session.disconnect();
    session.endedBy ??= `Tropo ${text ? 'ended the conversation' : 'hung up'}: the document ended without a "continue" handler with a next URL`;
    const hangup = run.handlers.get('hangup');
    if (hangup?.next !== undefined) {
      session.line('tropo', 'Tropo fires "hangup"');
      return leaveTo(session, run, hangup.next, error);
    }
  }
  return {
    kind: 'end',
    reason: session.endedBy ?? 'the session ended: no "continue" handler with a next URL',
  };
}

function leaveTo(session: SessionRun, run: DocumentRun, next: string, error: string | null): Leave {
  const resolved = resolveNextUrl(next, run.url);
  if (!resolved.ok) return { kind: 'failed', reason: `unusable next URL: ${resolved.reason}` };
  const payload = session.results.next({
    callId: session.callId,
    state: session.resultState(),
    error,
    calledid: session.calledid,
    userType: run.userType,
    actions: run.actions.map((a) => a.make()),
  });
  return {
    kind: 'post',
    url: resolved.url,
    payload,
    shown: hiddenResult(payload, run.actions),
    run,
  };
}
