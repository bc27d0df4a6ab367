/** The `say` verb (spec §5.12): play text, SSML or audio on a call, or send text on a text channel. */
import type * as z from 'zod';
import { saySchema, toSayItems, type SayInput } from '../fields';

/** One item or an array on the wire; always an array once read. */
export const sayBodySchema = saySchema;
/** The body of `say`: a list of items. */
export type SayBody = z.output<typeof sayBodySchema>;

/** Builds `{"say":[…]}` from a string, an item, or a list of them. */
export function say(input: SayInput): { say: SayBody } {
  return { say: toSayItems(input) };
}
