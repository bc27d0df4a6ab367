/** The `redirect` verb (spec §5.10): divert an inbound call elsewhere before answering it. */
import * as z from 'zod';
import { nonEmptyString, strictObject } from '../fields';
import { compact } from '../json';

export const redirectBodySchema = strictObject({
  to: nonEmptyString,
  name: z.string().optional(),
  required: z.boolean().optional(),
});
/** The body of `redirect`: one SIP URI or number. */
export type RedirectBody = z.output<typeof redirectBodySchema>;
/** Options of the `redirect` builder. */
export type RedirectOptions = RedirectBody;

/** Builds `{"redirect":{…}}`; it must be the only verb of its document. */
export function redirect(opts: RedirectOptions): { redirect: RedirectBody } {
  return { redirect: compact(opts) };
}
