/** The `reject` verb (spec §5.11): refuse an inbound call before answering it. */
import type * as z from 'zod';
import { emptyBody, strictObject } from '../fields';

export const rejectBodySchema = emptyBody(strictObject({}));
/** The body of `reject`: `{}` (the wire also carries `null` or `"null"`, read as `{}`). */
export type RejectBody = z.output<typeof rejectBodySchema>;

/** Builds `{"reject":{}}`. */
export function reject(): { reject: RejectBody } {
  return { reject: {} };
}
