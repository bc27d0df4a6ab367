/** The `record` verb (spec §5.9): prompt, record the caller, and upload the file. */
import * as z from 'zod';
import {
  flag,
  allowSignalsSchema,
  count,
  emailFormatSchema,
  foldRecordingUrls,
  RECORDING_URL_FIELDS,
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
import { compact, copyWithout } from '../json';

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
  bargein: flag.optional(),
  beep: flag.optional(),
  format: formatSchema.optional(),
  maxSilence: seconds.optional(),
  maxTime: seconds.optional(),
  timeout: seconds.optional(),
  interdigitTimeout: seconds.optional(),
  transcription: oneOrMany(transcriptionSchema).optional(),
  asyncUpload: flag.optional(),
  minConfidence: percent.optional(),
  sensitivity: z.number().optional(),
  voice: z.string().optional(),
  name: z.string().optional(),
  required: flag.optional(),
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
  .transform((body): RecordBody => {
    const { url, recordURL, recordingURL, username, password, method } = body;
    const urls = foldRecordingUrls({ url, recordURL, recordingURL, username, password, method });
    return copyWithout({ url: urls }, body, RECORDING_URL_FIELDS) as RecordBody;
  });

/** Options of the `record` builder: `url` may be a string, an object or a list; `say` a string. */
export type RecordOptions = Omit<RecordBody, 'url' | 'say' | 'transcription'> & {
  url: RecordingUrlInput;
  say?: SayInput | undefined;
  transcription?: Transcription | readonly Transcription[] | undefined;
};

/** One transcription target or several as a list; an empty list means no transcription. */
function toTranscriptions(
  input: Transcription | readonly Transcription[] | undefined,
): Transcription[] | undefined {
  if (input === undefined) return undefined;
  const list = Array.isArray(input)
    ? [...(input as readonly Transcription[])]
    : [input as Transcription];
  return list.length === 0 ? undefined : list;
}

/** Builds `{"record":{…}}`. */
export function record(opts: RecordOptions): { record: RecordBody } {
  const { url, say, transcription } = opts;
  const body = copyWithout({ url: toRecordingUrls(url) }, opts, ['url', 'say', 'transcription']);
  if (say !== undefined) body.say = toSayItems(say);
  body.transcription = toTranscriptions(transcription);
  return { record: compact(body) as RecordBody };
}
