/** The Tropo WebAPI as a library: verb types and builders, document validation and serialisation, and inbound payload parsers. */
export type { Issue, Parsed, Severity } from './issues';
export { formatPath } from './issues';

export type {
  AudioFormat,
  Channel,
  Choices,
  DestinationInput,
  LogSecurity,
  MachineDetection,
  Mode,
  Network,
  Prompt,
  RecordingUrl,
  RecordingUrlInput,
  SayInput,
  SayItem,
  TerminatorChoices,
  UploadMethod,
} from './fields';
export { CHANNELS, NETWORKS } from './fields';

export type { BodyOf, NormalDocument, NormalVerb, TropoDocument, Verb, VerbName } from './schema';
export { document, VERB_NAMES, verbBodySchemas } from './schema';

export { answer, type AnswerBody, type AnswerOptions } from './verbs/answer';
export { ask, type AskBody, type AskOptions } from './verbs/ask';
export { call, type CallBody, type CallOptions } from './verbs/call';
export { conference, type ConferenceBody, type ConferenceOptions } from './verbs/conference';
export { generalLogSecurity, type GeneralLogSecurityBody } from './verbs/generalLogSecurity';
export { hangup, type HangupBody } from './verbs/hangup';
export { message, type MessageBody, type MessageOptions } from './verbs/message';
export { on, type OnBody, type OnOptions } from './verbs/on';
export { record, type RecordBody, type RecordOptions, type Transcription } from './verbs/record';
export { redirect, type RedirectBody, type RedirectOptions } from './verbs/redirect';
export { reject, type RejectBody } from './verbs/reject';
export { say, type SayBody } from './verbs/say';
export {
  startRecording,
  type StartRecordingBody,
  type StartRecordingOptions,
} from './verbs/startRecording';
export { stopRecording, type StopRecordingBody } from './verbs/stopRecording';
export { transfer, type TransferBody, type TransferOptions } from './verbs/transfer';
export { wait, type WaitBody, type WaitOptions } from './verbs/wait';

export { validateDocument, MAX_ISSUES, type ValidateOptions, type Validation } from './validate';
export { checkDocumentRules } from './rules';
export {
  isTropoDocumentError,
  serialise,
  serialiseValidated,
  TropoDocumentError,
} from './serialise';

export {
  parseSession,
  type CallerId,
  type InitialMedia,
  type Session,
  type SessionKind,
} from './session';
export {
  findAction,
  hasDisposition,
  parseResult,
  type Action,
  type Result,
  type TranscriptionCallback,
} from './result';
