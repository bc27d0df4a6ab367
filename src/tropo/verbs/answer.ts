/** The `answer` verb (spec §5.1): answer an inbound call explicitly, optionally with SIP headers on the 200 OK. */
import type * as z from 'zod';
import { emptyBody, headersSchema, strictObject } from '../fields';
import { compact } from '../json';

export const answerBodySchema = emptyBody(strictObject({ headers: headersSchema.optional() }));
/** The body of `answer`: `{}` or `{headers}`. */
export type AnswerBody = z.output<typeof answerBodySchema>;
/** Options of the `answer` builder. */
export type AnswerOptions = AnswerBody;

/** Builds `{"answer":{…}}`; without headers the body is `{}`. */
export function answer(opts: AnswerOptions = {}): { answer: AnswerBody } {
  return { answer: compact(opts) };
}
