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
  type AppLogLine,
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
export { verdictOf, warningCount, type Verdict, type VerdictOptions } from './verdict';
export {
  createPoster,
  MAX_ANSWER_BYTES,
  type FetchLike,
  type HttpAnswer,
  type HttpFailure,
  type HttpOutcome,
  type PostJson,
} from './http';
export { createParameters } from './fake-tropo-wire';
export {
  startFakeTropo,
  type FakeTropo,
  type FakeTropoLaunch,
  type FakeTropoOptions,
} from './fake-tropo';
export {
  numberKey,
  numberPoint,
  outcomeFor,
  parseOutcomeRule,
  parseOutcomeShares,
  type CallOutcomeRules,
} from './call-outcomes';
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
