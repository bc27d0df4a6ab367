/** The `ask` verb (spec §5.2): prompt the caller and collect DTMF, speech, or a text reply. */
import * as z from 'zod';
import {
  flag,
  allowSignalsSchema,
  asrLogSecuritySchema,
  choicesSchema,
  count,
  logSecuritySchema,
  percent,
  saySchema,
  seconds,
  strictObject,
  toSayItems,
  type SayInput,
} from '../fields';
import { compact, omit, type JsonObject } from '../json';

export const askBodySchema = strictObject({
  choices: choicesSchema,
  // Optional: Tropo's docs require only `choices`; an ask without a prompt just listens (a rule warns).
  say: saySchema.optional(),
  attempts: count.optional(),
  bargein: flag.optional(),
  timeout: seconds.optional(),
  interdigitTimeout: seconds.optional(),
  minConfidence: percent.optional(),
  sensitivity: z.number().optional(),
  speechCompleteTimeout: seconds.optional(),
  speechIncompleteTimeout: seconds.optional(),
  recognizer: z.string().optional(),
  voice: z.string().optional(),
  name: z.string().optional(),
  required: flag.optional(),
  allowSignals: allowSignalsSchema.optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  asrLogSecurity: asrLogSecuritySchema.optional(),
  maskTemplate: z.string().optional(),
});
/** The body of `ask`. */
export type AskBody = z.output<typeof askBodySchema>;
/** Options of the `ask` builder: like the body, but `say` may be a string, an item or a list. */
export type AskOptions = Omit<AskBody, 'say'> & { say?: SayInput };

/** Turns ask options into the canonical body (also used for the ask inside a transfer connect handler). */
export function toAskBody(opts: AskOptions): AskBody {
  const { say } = opts;
  const body = omit(opts, ['say']) as JsonObject;
  if (say !== undefined) body.say = toSayItems(say);
  return compact(body) as AskBody;
}

/** Builds `{"ask":{…}}`. */
export function ask(opts: AskOptions): { ask: AskBody } {
  return { ask: toAskBody(opts) };
}
