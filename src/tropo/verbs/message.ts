/** The `message` verb (spec §5.7): a new outbound leg that says something and hangs up, typically an SMS. */
import * as z from 'zod';
import {
  channelSchema,
  destinationsSchema,
  headersSchema,
  logSecuritySchema,
  networkSchema,
  saySchema,
  seconds,
  strictObject,
  toDestinations,
  toSayItems,
  type DestinationInput,
  type SayInput,
} from '../fields';
import { compact } from '../json';

export const messageBodySchema = strictObject({
  say: saySchema,
  to: destinationsSchema,
  from: z.string().optional(),
  network: networkSchema.optional(),
  channel: channelSchema.optional(),
  timeout: seconds.optional(),
  answerOnMedia: z.boolean().optional(),
  voice: z.string().optional(),
  name: z.string().optional(),
  required: z.boolean().optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  headers: headersSchema.optional(),
});
/** The body of `message`. */
export type MessageBody = z.output<typeof messageBodySchema>;
/** Options of the `message` builder: `say` and `to` may be single values. */
export type MessageOptions = Omit<MessageBody, 'say' | 'to'> & {
  say: SayInput;
  to: DestinationInput;
};

/** Builds `{"message":{…}}`. */
export function message(opts: MessageOptions): { message: MessageBody } {
  return { message: compact({ ...opts, say: toSayItems(opts.say), to: toDestinations(opts.to) }) };
}
