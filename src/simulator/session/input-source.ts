/**
 * Where a session's answers come from: the caller's reply to each ask and how each leg, recording
 * and conference goes. The caller script answers at once; an interactive source (the browser phone)
 * answers when a person has decided, so every question is asked through a promise.
 */
import {
  type CallerScript,
  type LegOutcome,
  type RecordOutcome,
  type ScriptedInput,
  InputQueue,
} from '../script';

/** Facts every question carries: the moment of simulated time it is asked at. */
interface Asked {
  /** Seconds since the session started. */
  at: number;
}

/** An ask waits for the caller (or for the callee of a transfer's whisper). */
export interface AskQuestion extends Asked {
  /** Who answers: `Caller`, or the number of the party a transfer rings. */
  who: string;
  channel: 'VOICE' | 'TEXT';
  /** Seconds of silence after which the attempt times out. */
  timeout: number;
  attempt: number;
  attempts: number;
  /** The choices' mode (`dtmf`, `speech`, `any`) when the document names one. */
  mode: string | undefined;
  /** The grammar as written in `choices.value`. */
  choices: string;
}

/** A `call`, `transfer` or voice `message` rings someone. */
export interface LegQuestion extends Asked {
  verb: 'call' | 'transfer' | 'message';
  /** The number or address rung, as people read it. */
  to: string;
  /** Seconds Tropo lets it ring. */
  timeout: number;
}

/** A `record` listens to the caller. */
export interface RecordQuestion extends Asked {
  attempt: number;
  attempts: number;
  /** Seconds of silence after which the attempt times out. */
  timeout: number;
  /** The longest recording the verb takes, when it sets one. */
  maxTime: number | undefined;
}

/** How a recording went; `seconds` is how long the caller spoke (default: the script's). */
export interface RecordAnswer {
  outcome: RecordOutcome;
  seconds?: number | undefined;
}

/** The caller joins a conference room. */
export interface ConferenceQuestion extends Asked {
  room: string;
}

/** Answers the questions a session asks; every answer may take as long as a person needs. */
export interface InputSource {
  /** The caller's answer to an ask. */
  answer(question: AskQuestion): Promise<ScriptedInput>;
  /** How a leg that rings someone ends up. */
  leg(question: LegQuestion): Promise<LegOutcome>;
  /** How a recording goes. */
  record(question: RecordQuestion): Promise<RecordAnswer>;
  /** Resolves when the caller leaves the room; with `seconds`, after that long in it (default: the script's). */
  conference(question: ConferenceQuestion): Promise<{ seconds?: number | undefined }>;
}

/** The source that reads a caller script: answers in order, outcomes as the script says. */
export function scriptSource(script: CallerScript): InputSource {
  const inputs = new InputQueue(script.inputs);
  return {
    answer: () => Promise.resolve(inputs.next()),
    leg: (question) =>
      Promise.resolve(question.verb === 'transfer' ? script.transferOutcome : script.callOutcome),
    record: () => Promise.resolve({ outcome: script.recordOutcome }),
    conference: () => Promise.resolve({}),
  };
}
