/** The `on` verb (spec §5.8): an event handler for the current document, also nested in transfer and conference. */
import * as z from 'zod';
import {
  flag,
  nonEmptyString,
  oneOrMany,
  saySchema,
  strictObject,
  toSayItems,
  type SayInput,
} from '../fields';
import { compact, omit, type JsonObject } from '../json';
import { askBodySchema, toAskBody, type AskOptions } from './ask';

export const onHandlerSchema = strictObject({
  event: nonEmptyString,
  next: nonEmptyString.optional(),
  say: saySchema.optional(),
  // `ask` and `post` only mean something in a transfer `connect` handler.
  ask: askBodySchema.optional(),
  post: nonEmptyString.optional(),
  name: z.string().optional(),
  required: flag.optional(),
});
/** One handler: the event, and what to do (POST to `next`, say something, ask, post). */
export type OnBody = z.output<typeof onHandlerSchema>;
/** An `on` element or nested `on` field: one handler or an array of them, read as an array. */
export const onHandlersSchema = oneOrMany(onHandlerSchema);

/** Options of the `on` builder: `say` may be a string or an item; `ask` takes ask options. */
export type OnOptions = Omit<OnBody, 'say' | 'ask'> & {
  say?: SayInput | undefined;
  ask?: AskOptions | undefined;
};

/** Turns handler options into the canonical handler body. */
export function toOnBody(opts: OnOptions): OnBody {
  const { say, ask } = opts;
  const body = omit(opts, ['say', 'ask']) as JsonObject;
  if (say !== undefined) body.say = toSayItems(say);
  if (ask !== undefined) body.ask = toAskBody(ask);
  return compact(body) as OnBody;
}

/**
 * Turns one handler or several into the canonical array (for transfer and conference); no
 * handlers at all means no `on` field.
 */
export function toOnBodies(
  opts: OnOptions | readonly OnOptions[] | undefined,
): OnBody[] | undefined {
  if (opts === undefined) return undefined;
  const list = Array.isArray(opts) ? (opts as readonly OnOptions[]) : [opts as OnOptions];
  return list.length === 0 ? undefined : list.map(toOnBody);
}

/** Builds `{"on":{…}}`: one handler per element. */
export function on(opts: OnOptions): { on: OnBody } {
  return { on: toOnBody(opts) };
}
