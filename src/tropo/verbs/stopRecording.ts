/** The `stopRecording` verb (spec §5.13): stop the recording that `startRecording` began. */
import type * as z from 'zod';
import { emptyBody, strictObject } from '../fields';

export const stopRecordingBodySchema = emptyBody(strictObject({}));
/** The body of `stopRecording`: `{}` (the wire also carries `null` or `"null"`, read as `{}`). */
export type StopRecordingBody = z.output<typeof stopRecordingBodySchema>;

/** Builds `{"stopRecording":{}}`. */
export function stopRecording(): { stopRecording: StopRecordingBody } {
  return { stopRecording: {} };
}
