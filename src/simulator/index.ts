/** The simulator's public surface: play Tropo's side of a session against an app, read the transcript, run a fake Tropo. */
export {
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUT_MS,
  displayAddress,
  exitCodeOf,
  signalAllowed,
  simulate,
  speakingSeconds,
  startSession,
  type EngineOptions,
  type ScheduledSignal,
  type SessionHandle,
  type SessionLimits,
} from './engine';
export {
  SUPPRESSED,
  maskInput,
  suppressDocumentText,
  type Actor,
  type FailureKind,
  type LineLevel,
  type OutcomeStatus,
  type Transcript,
  type TranscriptExchange,
  type TranscriptLine,
  type TranscriptOutcome,
} from './transcript';
export { clockOf, printable, renderTranscript, type RenderOptions } from './render';
export {
  createPoster,
  MAX_ANSWER_BYTES,
  type FetchLike,
  type HttpAnswer,
  type HttpFailure,
  type HttpOutcome,
  type PostJson,
} from './http';
export {
  createParameters,
  startFakeTropo,
  type FakeTropo,
  type FakeTropoOptions,
} from './fake-tropo';
export {
  appStartUrl,
  startLocalServer,
  type LocalServer,
  type LocalServerOptions,
} from './local-server';
export {
  DEFAULT_SCRIPT,
  InputQueue,
  isScriptError,
  parseInput,
  parseScriptArgs,
  ScriptError,
  scriptFromJson,
  type CallerScript,
  type LegOutcome,
  type RecordOutcome,
  type ScriptedInput,
} from './script';
export {
  createSession,
  isSessionSpecError,
  SessionSpecError,
  type SessionPayload,
  type SessionSpec,
} from './session-factory';
export { manualClock, seededRandomBytes, type Clock, type RandomBytes } from './ids';
export { REDACTED, redactJson, redactSecrets, resolveNextUrl } from './url';
