/** The dispatcher: one table says which function runs each verb, each in the file of its family. */
import type { BodyOf, Verb, VerbName } from '../../tropo';
import { verbName } from '../session/common';
import { call, conference, transfer } from './calls';
import type { DocumentRun, Step, VerbContext, VerbHandler } from './context';
import { answer, generalLogSecurity, hangup, redirect, reject, wait } from './flow';
import { message } from './messages';
import { record, startRecording, stopRecording } from './recording';
import { ask, say } from './speech';

/** Every verb a document can run (`on` is a handler, not a verb: ../session/document.ts keeps it). */
type RunnableVerb = Exclude<VerbName, 'on'>;

/** Verb name → handler; a verb added to the WebAPI library fails to compile here until it has one. */
const HANDLERS: { readonly [K in RunnableVerb]: VerbHandler<BodyOf<K>> } = {
  // Speech and prompts (./speech.ts).
  say,
  ask,
  // Recording (./recording.ts).
  record,
  startRecording,
  stopRecording,
  // Calls, transfers and conferences (./calls.ts).
  call,
  transfer,
  conference,
  // Messages (./messages.ts).
  message,
  // Flow control (./flow.ts).
  wait,
  answer,
  hangup,
  redirect,
  reject,
  generalLogSecurity,
};

function isRunnable(name: string): name is RunnableVerb {
  return name !== 'on' && Object.hasOwn(HANDLERS, name);
}

/** Runs one verb of a document with the handler of its family. */
export function runVerb(ctx: VerbContext, verb: Verb, run: DocumentRun): Step | Promise<Step> {
  const name = verbName(verb);
  if (!isRunnable(name)) {
    return ctx.platformError(`the simulator does not know the verb ${name}`);
  }
  // The table pairs each name with the handler of that verb's body; TypeScript cannot follow the
  // pairing through a name read at run time, so the handler is called with the body as it is.
  const handler = HANDLERS[name] as VerbHandler<unknown>;
  return handler(ctx, (verb as Record<RunnableVerb, unknown>)[name], run);
}
