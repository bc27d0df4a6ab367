/** The `record` verb (spec §5.9): prompt, record the caller, and upload the file. */
import * as z from 'zod';
import {
  allowSignalsSchema,
  count,
  emailFormatSchema,
  foldRecordingUrls,
  formatSchema,
  logSecuritySchema,
  nonEmptyString,
  oneOrMany,
  percent,
  recordingFields,
  requireRecordingUrl,
  saySchema,
  seconds,
  strictObject,
  terminatorChoicesSchema,
  toRecordingUrls,
  toSayItems,
  whenObject,
  type RecordingUrl,
  type RecordingUrlInput,
  type SayInput,
} from '../fields';
import { compact } from '../json';

export const transcriptionSchema = strictObject({
  url: nonEmptyString,
  id: z.string().optional(),
  emailFormat: emailFormatSchema.optional(),
  language: z.string().optional(),
});
/** Where a recording's transcription goes (`mailto:` or http), with your correlation id. */
export type Transcription = z.output<typeof transcriptionSchema>;

const recordFields = strictObject({
  ...recordingFields,
  say: saySchema.optional(),
  choices: terminatorChoicesSchema.optional(),
  attempts: count.optional(),
  bargein: z.boolean().optional(),
  beep: z.boolean().optional(),
  format: formatSchema.optional(),
  maxSilence: seconds.optional(),
  maxTime: seconds.optional(),
  timeout: seconds.optional(),
  interdigitTimeout: seconds.optional(),
  transcription: oneOrMany(transcriptionSchema).optional(),
  asyncUpload: z.boolean().optional(),
  minConfidence: percent.optional(),
  sensitivity: z.number().optional(),
  voice: z.string().optional(),
  name: z.string().optional(),
  required: z.boolean().optional(),
  allowSignals: allowSignalsSchema.optional(),
  promptLogSecurity: logSecuritySchema.optional(),
});

/** The body of `record`: every spelling of the destination is folded into `url`, a list of objects. */
export type RecordBody = Omit<
  z.output<typeof recordFields>,
  'url' | 'recordURL' | 'recordingURL' | 'username' | 'password' | 'method'
> & { url: RecordingUrl[] };

export const recordBodySchema = recordFields
  .superRefine(requireRecordingUrl, whenObject)
  .transform(
    ({ url, recordURL, recordingURL, username, password, method, ...rest }): RecordBody => ({
      url: foldRecordingUrls({ url, recordURL, recordingURL, username, password, method }),
      ...rest,
    }),
  );

/** Options of the `record` builder: `url` may be a string, an object or a list; `say` a string. */
export type RecordOptions = Omit<RecordBody, 'url' | 'say' | 'transcription'> & {
  url: RecordingUrlInput;
  say?: SayInput | undefined;
  transcription?: Transcription | readonly Transcription[] | undefined;
};

/** Builds `{"record":{…}}`. */
export function record(opts: RecordOptions): { record: RecordBody } {
  const { url, say, transcription, ...rest } = opts;
  return {
    record: compact({
      url: toRecordingUrls(url),
      ...rest,
      say: say === undefined ? undefined : toSayItems(say),
      transcription:
        transcription === undefined
          ? undefined
          : Array.isArray(transcription)
            ? [...(transcription as readonly Transcription[])]
            : [transcription as Transcription],
    }),
  };
}
