/** The `startRecording` verb (spec §5.13): record the whole session from here until `stopRecording`. */
import * as z from 'zod';
import {
  flag,
  emailFormatSchema,
  foldRecordingUrls,
  RECORDING_URL_FIELDS,
  formatSchema,
  recordingFields,
  requireRecordingUrl,
  strictObject,
  toRecordingUrls,
  whenObject,
  type RecordingUrl,
  type RecordingUrlInput,
} from '../fields';
import { compact, copyWithout } from '../json';

const startRecordingFields = strictObject({
  ...recordingFields,
  format: formatSchema.optional(),
  asyncUpload: flag.optional(),
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
  .transform((body): StartRecordingBody => {
    const { url, recordURL, recordingURL, username, password, method } = body;
    const urls = foldRecordingUrls({ url, recordURL, recordingURL, username, password, method });
    return copyWithout({ url: urls }, body, RECORDING_URL_FIELDS) as StartRecordingBody;
  });

/** Options of the `startRecording` builder: `url` may be a string, an object or a list. */
export type StartRecordingOptions = Omit<StartRecordingBody, 'url'> & { url: RecordingUrlInput };

/** Builds `{"startRecording":{…}}`. */
export function startRecording(opts: StartRecordingOptions): {
  startRecording: StartRecordingBody;
} {
  return { startRecording: compact({ ...opts, url: toRecordingUrls(opts.url) }) };
}
