/** The `call` verb (spec §5.3): start an outbound call or text conversation from a session that has none. */
import * as z from 'zod';
import {
  allowSignalsSchema,
  channelSchema,
  destinationsSchema,
  headersSchema,
  logSecuritySchema,
  machineDetectionSchema,
  networkSchema,
  seconds,
  strictObject,
  toDestinations,
  type DestinationInput,
} from '../fields';
import { compact } from '../json';

export const callBodySchema = strictObject({
  to: destinationsSchema,
  from: z.string().optional(),
  network: networkSchema.optional(),
  channel: channelSchema.optional(),
  timeout: seconds.optional(),
  answerOnMedia: z.boolean().optional(),
  headers: headersSchema.optional(),
  machineDetection: machineDetectionSchema.optional(),
  voice: z.string().optional(),
  allowSignals: allowSignalsSchema.optional(),
  name: z.string().optional(),
  required: z.boolean().optional(),
  callbackUrl: z.string().optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  label: z.string().optional(),
});
/** The body of `call`; `to` is always a list (several numbers ring at once, first to answer wins). */
export type CallBody = z.output<typeof callBodySchema>;
/** Options of the `call` builder: `to` may be one address or several. */
export type CallOptions = Omit<CallBody, 'to'> & { to: DestinationInput };

/** Builds `{"call":{…}}`. */
export function call(opts: CallOptions): { call: CallBody } {
  return { call: compact({ ...opts, to: toDestinations(opts.to) }) };
}
