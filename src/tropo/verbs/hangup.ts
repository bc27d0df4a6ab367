/** The `hangup` verb (spec §5.6): end the session's call. */
import type * as z from 'zod';
import { emptyBody, headersSchema, strictObject } from '../fields';

// `headers` (SIP headers on the BYE) comes from the 2010 docs; no current library sends it.
export const hangupBodySchema = emptyBody(strictObject({ headers: headersSchema.optional() }));
/** The body of `hangup`: `{}` (the wire also carries `null` or `"null"`, read as `{}`). */
export type HangupBody = z.output<typeof hangupBodySchema>;

/** Builds `{"hangup":{}}`. */
export function hangup(): { hangup: HangupBody } {
  return { hangup: {} };
}
