/** The zod schemas shared by several verbs (say items, choices, destinations, recording URLs, enums) and their builder-side conversions. */
import * as z from 'zod';
import { compact, isObject } from './json';

// ---------------------------------------------------------------------------------------------
// Objects: strict (unknown keys are reported), and every field name is remembered for hints.

const knownFieldNames = new Set<string>();

/** A strict zod object whose field names are remembered, so an unknown key can get a "did you mean". */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  for (const key of Object.keys(shape)) knownFieldNames.add(key);
  return z.strictObject(shape);
}

let hints: Map<string, string> | undefined;

/** Lower case without separators, so `send_tones`, `SendTones` and `sendTones` compare equal. */
function squash(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Keys that 2010-era libraries emitted and the current WebAPI no longer documents (spec §3, §10),
 * by squashed spelling (Java wrote `send_tones` and `exit_tone`), with a note where one helps.
 */
const LEGACY_KEYS = new Map([
  ['sendtones', ''],
  ['exittone', ''],
  ['silencetimeout', ''],
  ['require', ''],
  ['recording', ' (record the call with startRecording)'],
  ['termchar', ' (the old name of "terminator")'],
]);

function suggestionFor(key: string): string | undefined {
  // Built on first use: by then every verb module has registered its fields.
  hints ??= new Map([...knownFieldNames].map((name) => [squash(name), name]));
  const hint = hints.get(squash(key));
  return hint !== undefined && hint !== key ? hint : undefined;
}

/**
 * The warning text for a key the WebAPI does not define; `inRedirect` marks the top of a redirect
 * body, where `from` is a legacy Ruby key.
 */
export function unknownKeyMessage(key: string, inRedirect = false): string {
  const legacy = inRedirect && key === 'from' ? '' : LEGACY_KEYS.get(squash(key));
  if (legacy !== undefined) {
    return `legacy key "${key}"${legacy} is not part of the current WebAPI (only 2010-era libraries sent it) and is ignored`;
  }
  const hint = suggestionFor(key);
  return `unknown key "${key}" is not part of the WebAPI and is ignored${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Scalars.

/** A string with at least one character. */
export const nonEmptyString = z.string().min(1);
/** A duration in seconds: any number that is not negative (30 and 30.0 are the same). */
export const seconds = z.number().min(0);
/** A count of tries or repeats: a whole number from 1. */
export const count = z.int().min(1);
/** A confidence percentage: a whole number from 0 to 100. */
export const percent = z.int().min(0).max(100);
/** A boolean; the 2010 Ruby library wrote some as the strings "true" and "false". */
export const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean(),
);

/**
 * A string from a fixed set, compared without regard to case and returned in its canonical
 * spelling ("DTMF" → "dtmf"), because the official libraries disagree on case.
 */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const canonical = new Map<string, T[number]>(values.map((v) => [v.toLowerCase(), v]));
  return z.string().transform((text, ctx): T[number] => {
    const value = canonical.get(text.toLowerCase());
    if (value !== undefined) return value;
    ctx.issues.push({ code: 'invalid_value', values: [...values], input: text });
    return z.NEVER;
  });
}

export const LOG_SECURITY = ['none', 'suppress'] as const;
export const ASR_LOG_SECURITY = ['none', 'suppress', 'mask'] as const;
export const CHANNELS = ['VOICE', 'TEXT'] as const;
export const NETWORKS = [
  'PSTN',
  'VOIP',
  'SIP',
  'SMS',
  'MMS',
  'AIM',
  'GTALK',
  'JABBER',
  'MSN',
  'YAHOO',
  'TWITTER',
] as const;
/** Networks that carry text rather than voice. */
export const TEXT_NETWORKS: ReadonlySet<string> = new Set([
  'SMS',
  'MMS',
  'AIM',
  'GTALK',
  'JABBER',
  'MSN',
  'YAHOO',
  'TWITTER',
]);
export const MODES = ['speech', 'dtmf', 'any'] as const;
export const FORMATS = ['audio/wav', 'audio/mp3', 'audio/au'] as const;
export const METHODS = ['POST', 'PUT', 's3'] as const;
export const EMAIL_FORMATS = ['plain', 'encoded', 'omit'] as const;

export const logSecuritySchema = caseInsensitiveEnum(LOG_SECURITY);
export const asrLogSecuritySchema = caseInsensitiveEnum(ASR_LOG_SECURITY);
export const channelSchema = caseInsensitiveEnum(CHANNELS);
export const networkSchema = caseInsensitiveEnum(NETWORKS);
export const modeSchema = caseInsensitiveEnum(MODES);
export const formatSchema = caseInsensitiveEnum(FORMATS);
export const methodSchema = caseInsensitiveEnum(METHODS);
export const emailFormatSchema = caseInsensitiveEnum(EMAIL_FORMATS);

/** `none` turns logging back on, `suppress` turns it off. */
export type LogSecurity = (typeof LOG_SECURITY)[number];
/** A session's channel. */
export type Channel = (typeof CHANNELS)[number];
/** A network name as Tropo spells it. */
export type Network = (typeof NETWORKS)[number];
/** How an ask listens: speech, DTMF keys, or either. */
export type Mode = (typeof MODES)[number];
/** A recording's audio format. */
export type AudioFormat = (typeof FORMATS)[number];
/** How a recording is uploaded. */
export type UploadMethod = (typeof METHODS)[number];

/** `*` (any signal), `""` (none), a signal name, or a list of names. */
export const allowSignalsSchema = z.union([z.string(), z.array(z.string())]);
/** Custom SIP headers, name to value. */
export const headersSchema = z.record(z.string(), z.string());
/** One DTMF key that ends input. */
export const terminatorSchema = z
  .string()
  .regex(/^[0-9*#]$/, { error: 'must be a single DTMF key (0-9, * or #)' });

// ---------------------------------------------------------------------------------------------
// One-or-many values and empty bodies.

/** Accepts one item or a non-empty array of them, and always yields an array. */
export function oneOrMany<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item).min(1), item])
    .transform((value): z.output<T>[] =>
      Array.isArray(value) ? (value as z.output<T>[]) : [value as z.output<T>],
    );
}

/**
 * A verb body that may carry nothing: `{}`, `null` and the string `"null"` (PHP) all become `{}`
 * (spec §3).
 */
export function emptyBody<T extends z.ZodObject>(shape: T) {
  return z.union([shape, z.null(), z.literal('null')]).transform((value): z.output<T> =>
    // Every field of these bodies is optional, so an empty object is a valid body.
    value === null || value === 'null' ? ({} as z.output<T>) : (value as z.output<T>),
  );
}

// ---------------------------------------------------------------------------------------------
// Say items (spec §4.1).

export const sayItemSchema = strictObject({
  value: z.string(),
  event: z.string().optional(),
  as: z.string().optional(),
  voice: z.string().optional(),
  name: z.string().optional(),
  required: flag.optional(),
  allowSignals: allowSignalsSchema.optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  media: z.union([z.string(), z.array(z.string())]).optional(),
});
/** One prompt: text, SSML or an audio URL, optionally only for an event (`timeout`, `nomatch:1`…). */
export type SayItem = z.output<typeof sayItemSchema>;
/** A say in any accepted shape (one item or several), always read as an array. */
export const saySchema = oneOrMany(sayItemSchema);

/** What builders accept for a say: a plain string, one item, or several. */
export type SayInput = string | SayItem | readonly (string | SayItem)[];

/** Turns builder say input into the canonical array of items. */
export function toSayItems(input: SayInput): SayItem[] {
  const items = typeof input === 'string' || !Array.isArray(input) ? [input] : input;
  return items.map((item: string | SayItem) =>
    typeof item === 'string' ? { value: item } : compact(item),
  );
}

// ---------------------------------------------------------------------------------------------
// Choices (spec §4.2).

/** An ask's choices: the grammar is required. */
export const choicesSchema = strictObject({
  value: nonEmptyString,
  mode: modeSchema.optional(),
  terminator: terminatorSchema.optional(),
});
/** What an ask listens for: grammar, mode and terminator key. */
export type Choices = z.output<typeof choicesSchema>;

/** The choices of record and transfer: only the terminator matters, a grammar is tolerated. */
export const terminatorChoicesSchema = strictObject({
  value: z.string().optional(),
  mode: modeSchema.optional(),
  terminator: terminatorSchema.optional(),
});
/** Choices in record/transfer, which carry a terminator key. */
export type TerminatorChoices = z.output<typeof terminatorChoicesSchema>;

// ---------------------------------------------------------------------------------------------
// Destinations (spec §4.3).

/** `to` of call, message and transfer: one address or several, always read as an array. */
export const destinationsSchema = oneOrMany(nonEmptyString);

/** What builders accept for `to`. */
export type DestinationInput = string | readonly string[];

/** Turns builder `to` input into the canonical array. */
export function toDestinations(input: DestinationInput): string[] {
  return typeof input === 'string' ? [input] : [...input];
}

/**
 * `from` of call, message and transfer: the caller ID to present. 2010-era C# sent an endpoint
 * object whose `id` is the address; it is read as that string.
 */
export const callerIdSchema = z
  .union([
    z.string(),
    strictObject({
      id: z.string(),
      e164Id: z.string().optional(),
      name: z.string().nullable().optional(),
      channel: z.string().optional(),
      network: z.string().optional(),
    }),
  ])
  .transform((from) => (typeof from === 'string' ? from : from.id));

// ---------------------------------------------------------------------------------------------
// Recording destinations (spec §4.4).

export const recordingUrlSchema = strictObject({
  url: nonEmptyString,
  username: z.string().optional(),
  password: z.string().optional(),
  method: methodSchema.optional(),
  sessionToken: z.string().optional(),
});
/** Where a recording is uploaded, with the credentials and method for that place. */
export type RecordingUrl = z.output<typeof recordingUrlSchema>;

const oneRecordingUrl = z.union([nonEmptyString, recordingUrlSchema]);
/** A recording destination as the wire carries it: string, object, or array of either. */
export const recordingUrlsSchema = z.union([z.array(oneRecordingUrl).min(1), oneRecordingUrl]);

type RecordingUrlsInput = z.output<typeof recordingUrlsSchema>;

/** The fields of record/startRecording that describe where the recording goes. */
export const recordingFields = {
  url: recordingUrlsSchema.optional(),
  recordURL: recordingUrlsSchema.optional(),
  recordingURL: recordingUrlsSchema.optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  method: methodSchema.optional(),
};

interface RecordingFieldsInput {
  url?: RecordingUrlsInput | undefined;
  recordURL?: RecordingUrlsInput | undefined;
  recordingURL?: RecordingUrlsInput | undefined;
  username?: string | undefined;
  password?: string | undefined;
  method?: UploadMethod | undefined;
}

/** Adds a "missing url" error when none of `url`, `recordURL`, `recordingURL` is present. */
export function requireRecordingUrl(value: unknown, ctx: z.core.$RefinementCtx): void {
  // Runs even after other problems (see `whenObject`), so it reads the value defensively.
  if (!isObject(value)) return;
  if (
    value.url === undefined &&
    value.recordURL === undefined &&
    value.recordingURL === undefined
  ) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'missing required field "url"' });
  }
}

/** Lets a refinement run whenever the value is an object, even after other problems were found. */
export const whenObject = { when: (payload: { value: unknown }) => isObject(payload.value) };

/** The fields `foldRecordingUrls` folds into `url`: left out of the body beside it. */
export const RECORDING_URL_FIELDS = [
  'url',
  'recordURL',
  'recordingURL',
  'username',
  'password',
  'method',
] as const;

/**
 * Folds every accepted spelling of a recording destination into an array of objects: `url`,
 * `recordURL` (C#) and `recordingURL` (newest docs), in any shape, with sibling
 * `username`/`password`/`method` filling what an entry does not say itself. Repeated URLs are
 * uploaded once.
 */
export function foldRecordingUrls(fields: RecordingFieldsInput): RecordingUrl[] {
  const entries = [fields.url, fields.recordURL, fields.recordingURL].flatMap((v) =>
    v === undefined ? [] : Array.isArray(v) ? v : [v],
  );
  const seen = new Set<string>();
  const out: RecordingUrl[] = [];
  for (const entry of entries) {
    const given: RecordingUrl = typeof entry === 'string' ? { url: entry } : entry;
    if (seen.has(given.url)) continue;
    seen.add(given.url);
    out.push(
      compact({
        url: given.url,
        username: given.username ?? fields.username,
        password: given.password ?? fields.password,
        method: given.method ?? fields.method,
        sessionToken: given.sessionToken,
      }),
    );
  }
  return out;
}

/** What builders accept for a recording destination. */
export type RecordingUrlInput = string | RecordingUrl | readonly (string | RecordingUrl)[];

/** Turns builder recording-destination input into the canonical array of objects. */
export function toRecordingUrls(input: RecordingUrlInput): RecordingUrl[] {
  const entries = typeof input === 'string' || !Array.isArray(input) ? [input] : input;
  return foldRecordingUrls({ url: entries as (string | RecordingUrl)[] });
}

// ---------------------------------------------------------------------------------------------
// Prompts and machine detection (spec §5.3, §5.4).

/** A join/leave announcement: `true` for Tropo's default, or the text to play. */
export const promptSchema = z.union([
  flag,
  strictObject({ value: z.string(), voice: z.string().optional() }),
]);
/** Conference joinPrompt/leavePrompt. */
export type Prompt = z.output<typeof promptSchema>;

/** Answering-machine detection: `true`, or an introduction to play while classifying. */
export const machineDetectionSchema = z.union([
  flag,
  strictObject({ introduction: z.string(), voice: z.string().optional() }),
]);
/** call/transfer machineDetection. */
export type MachineDetection = z.output<typeof machineDetectionSchema>;
