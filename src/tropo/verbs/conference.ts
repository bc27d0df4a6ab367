/** The `conference` verb (spec §5.4): put the call into a conference room. */
import * as z from 'zod';
import {
  flag,
  allowSignalsSchema,
  logSecuritySchema,
  nonEmptyString,
  promptSchema,
  seconds,
  strictObject,
  terminatorSchema,
} from '../fields';
import { compact, omit, type JsonObject } from '../json';
import { onHandlersSchema, toOnBodies, type OnOptions } from './on';

export const conferenceBodySchema = strictObject({
  // Node's 2013 library sent a number; the room id is a string everywhere else.
  id: z.union([nonEmptyString, z.int()]).transform((id) => String(id)),
  name: z.string().optional(),
  mute: flag.optional(),
  playTones: flag.optional(),
  terminator: terminatorSchema.optional(),
  interdigitTimeout: seconds.optional(),
  joinPrompt: promptSchema.optional(),
  leavePrompt: promptSchema.optional(),
  allowSignals: allowSignalsSchema.optional(),
  required: flag.optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  // The older way to announce joins and leaves: handlers for `join` and `leave`.
  on: onHandlersSchema.optional(),
});
/** The body of `conference`; `id` is always a string and `on` always a list. */
export type ConferenceBody = z.output<typeof conferenceBodySchema>;
/** Options of the `conference` builder. */
export type ConferenceOptions = Omit<ConferenceBody, 'id' | 'on'> & {
  id: string | number;
  on?: OnOptions | readonly OnOptions[] | undefined;
};

/** Builds `{"conference":{…}}`. */
export function conference(opts: ConferenceOptions): { conference: ConferenceBody } {
  const { on } = opts;
  const body = omit(opts, ['on']) as JsonObject;
  // Assigned over the copied id: it keeps its place, as the literal's later key did.
  body.id = String(opts.id);
  body.on = toOnBodies(on);
  return { conference: compact(body) as ConferenceBody };
}
