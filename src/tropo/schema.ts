/** The WebAPI response document as schemas and types: the table of the 16 verbs, the `Verb` union and the document. */
import type * as z from 'zod';
import { answerBodySchema, type AnswerBody } from './verbs/answer';
import { askBodySchema, type AskBody } from './verbs/ask';
import { callBodySchema, type CallBody } from './verbs/call';
import { conferenceBodySchema, type ConferenceBody } from './verbs/conference';
import {
  generalLogSecurityBodySchema,
  type GeneralLogSecurityBody,
} from './verbs/generalLogSecurity';
import { hangupBodySchema, type HangupBody } from './verbs/hangup';
import { messageBodySchema, type MessageBody } from './verbs/message';
import { onHandlersSchema, type OnBody } from './verbs/on';
import { recordBodySchema, type RecordBody } from './verbs/record';
import { redirectBodySchema, type RedirectBody } from './verbs/redirect';
import { rejectBodySchema, type RejectBody } from './verbs/reject';
import { sayBodySchema, type SayBody } from './verbs/say';
import { startRecordingBodySchema, type StartRecordingBody } from './verbs/startRecording';
import { stopRecordingBodySchema, type StopRecordingBody } from './verbs/stopRecording';
import { transferBodySchema, type TransferBody } from './verbs/transfer';
import { waitBodySchema, type WaitBody } from './verbs/wait';

export * from './fields';

/**
 * The schema of each verb's body, keyed by the verb name as it appears on the wire. Each one
 * accepts every shape the official libraries send and yields the normalised body; `on` yields a
 * list of handlers, which the validator spreads into one `{on}` element each.
 */
export const verbBodySchemas = {
  answer: answerBodySchema,
  ask: askBodySchema,
  call: callBodySchema,
  conference: conferenceBodySchema,
  generalLogSecurity: generalLogSecurityBodySchema,
  hangup: hangupBodySchema,
  message: messageBodySchema,
  on: onHandlersSchema,
  record: recordBodySchema,
  redirect: redirectBodySchema,
  reject: rejectBodySchema,
  say: sayBodySchema,
  startRecording: startRecordingBodySchema,
  stopRecording: stopRecordingBodySchema,
  transfer: transferBodySchema,
  wait: waitBodySchema,
} as const;

/** A verb name: `say`, `ask`, `startRecording`… */
export type VerbName = keyof typeof verbBodySchemas;

/** Every verb name, in alphabetical order. */
export const VERB_NAMES = Object.keys(verbBodySchemas) as VerbName[];

/** The body schemas by name, for lookups with untrusted keys (no prototype surprises). */
export const verbBodySchemaByName: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries(verbBodySchemas),
);

/**
 * One element of a document: an object with exactly one verb key, in its canonical wire form
 * (say as a list of items, `to` as a list, one handler per `on`, empty bodies as `{}`, recording
 * destinations as a list of objects). This is what builders return, what apps hand to the server,
 * and what validation yields, so the same type serves writing and executing documents.
 */
export type Verb =
  | { answer: AnswerBody }
  | { ask: AskBody }
  | { call: CallBody }
  | { conference: ConferenceBody }
  | { generalLogSecurity: GeneralLogSecurityBody }
  | { hangup: HangupBody }
  | { message: MessageBody }
  | { on: OnBody }
  | { record: RecordBody }
  | { redirect: RedirectBody }
  | { reject: RejectBody }
  | { say: SayBody }
  | { startRecording: StartRecordingBody }
  | { stopRecording: StopRecordingBody }
  | { transfer: TransferBody }
  | { wait: WaitBody };

/** A response document: `{"tropo":[…]}`. */
export interface TropoDocument {
  tropo: Verb[];
}

/** Wraps verbs in a document: `{"tropo":[…]}`. */
export function document(verbs: readonly Verb[]): TropoDocument {
  return { tropo: [...verbs] };
}

/** A verb as validation yields it; the canonical form is the normal form, so this is `Verb`. */
export type NormalVerb = Verb;
/** A document as validation yields it, ready to execute. */
export type NormalDocument = TropoDocument;

/** The body type of one verb. */
export type BodyOf<K extends VerbName> = Extract<Verb, Record<K, unknown>>[K];

// Compile-time guards: the union above and the table list the same verbs with the same bodies.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type TableBodies = { [K in VerbName]: z.output<(typeof verbBodySchemas)[K]> };
type UnionBodies = { [K in VerbName]: K extends 'on' ? OnBody[] : BodyOf<K> };
type KeysOf<V> = V extends unknown ? keyof V : never;
const unionMatchesTable: [Equal<TableBodies, UnionBodies>, Equal<KeysOf<Verb>, VerbName>] = [
  true,
  true,
];
void unionMatchesTable;
