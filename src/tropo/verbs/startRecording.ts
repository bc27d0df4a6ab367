/** The `startRecording` verb (spec §5.13): record the whole session from here until `stopRecording`. */
import * as z from 'zod';
import {
  emailFormatSchema,
  foldRecordingUrls,
  formatSchema,
  recordingFields,
  requireRecordingUrl,
  strictObject,
  toRecordingUrls,
  whenObject,
  type RecordingUrl,
  type RecordingUrlInput,
} from '../fields';
import { compact } from '../json';

const startRecordingFields = strictObject({
  ...recordingFields,
  format: formatSchema.optional(),
  asyncUpload: z.boolean().optional(),
  transcriptionOutURI: z.string().optional(),
  transcriptionID: z.string().optional(),
  transcriptionEmailFormat: emailFormatSchema.optional(),
  transcriptionLanguage: z.string().optional(),
});

/** The body of `startRecording`: every spelling of the destination is folded into `url`, a list of objects. */
export type StartRecordingBody = Omit<
  z.output<typeof startRecordingFields>,
  'url' | 'recordURL' | 'recordingURL' | 'username' | 'password' | 'method'
> & { url: RecordingUrl[] };

export const startRecordingBodySchema = startRecordingFields
  .superRefine(requireRecordingUrl, whenObject)
  .transform(
    ({
      url,
      recordURL,
      recordingURL,
      username,
      password,
      method,
      ...rest
    }): StartRecordingBody => ({
      url: foldRecordingUrls({ url, recordURL, recordingURL, username, password, method }),
      ...rest,
    }),
  );

/** Options of the `startRecording` builder: `url` may be a string, an object or a list. */
export type StartRecordingOptions = Omit<StartRecordingBody, 'url'> & { url: RecordingUrlInput };

/** Builds `{"startRecording":{…}}`. */
export function startRecording(opts: StartRecordingOptions): {
  startRecording: StartRecordingBody;
} {
  return { startRecording: compact({ ...opts, url: toRecordingUrls(opts.url) }) };
}
