/** What a verb handler works with: the step it leads to, the document it reports into, and the narrow view of the session it may read and change. */
import type { OnBody, SayItem } from '../../tropo';
import type { RandomBytes } from '../ids';
import type { ActionRecord, MachineUserType, ResultPayload } from '../result-builder';
import type { CallerScript, ScriptedInput } from '../script';
import type { Actor, LineLevel } from '../transcript';
import type { Signals } from '../session/common';
import type { AskQuestion, InputSource } from '../session/input-source';

/** The state of the session's call; NONE before a token-launched session has called anyone. */
export type CallState =
  'NONE' | 'RINGING' | 'ANSWERED' | 'DISCONNECTED' | 'FAILED' | 'REJECTED' | 'REDIRECTED';

/** How an action shows in the transcript's copy of a result. */
export type Hide = 'none' | 'suppress' | { mask: string | undefined };

/** One action of a document's result. */
export interface ActionEntry {
  /** Built when the result is, so a live call reports its duration up to that moment. */
  make: () => ActionRecord;
  hide: Hide;
}

/** One document being executed. */
export interface DocumentRun {
  url: string;
  handlers: Map<string, OnBody>;
  actions: ActionEntry[];
  userType: MachineUserType | undefined;
}

/** What a verb leads to: the next verb, an event of the document, or the end of the session. */
export type Step =
  | { kind: 'next' }
  | { kind: 'event'; event: string; error?: string | undefined }
  | { kind: 'stop'; reason: string };

/** Go on with the next verb. */
export const NEXT: Step = { kind: 'next' };

/** Fire event `name` of the document, with `error` as the result's error. */
export function event(name: string, error?: string): Step {
  return { kind: 'event', event: name, error };
}

/** A signal cut a verb short (§4.6): `report` records its EXTERNAL_EVENT action, then the signal's event fires. */
export function interrupted(signal: string, report: (disposition: 'EXTERNAL_EVENT') => void): Step {
  report('EXTERNAL_EVENT');
  return event(signal);
}

/** An ask's answer: the first text of a text session, or the input source's answer. */
export type NextInput = { kind: 'initial'; text: string } | ScriptedInput;

/** The session as a verb sees it: the call state it may change and the primitives that pass time and write the transcript. */
export interface VerbContext {
  readonly sessionId: string;
  readonly script: CallerScript;
  /** Decides legs, recordings and conferences (the script, or a person). */
  readonly source: InputSource;
  readonly random: RandomBytes;
  /** Simulated seconds since the session started. */
  readonly t: number;
  /** How many results have been POSTed so far. */
  readonly resultCount: number;
  state: CallState;
  channel: 'VOICE' | 'TEXT' | null;
  callId: string | null;
  calledid: string | undefined;
  /** The far end as people read it: the caller of an inbound session, the callee of an outbound call. */
  party: string;
  callEverEnded: boolean;
  /** How the session ended, once something ended it (the first reason wins). */
  endedBy: string | undefined;
  /** generalLogSecurity: persists across documents (§5.5). */
  suppressing: boolean;
  /** Grammar activations so far: the `N@` of the NLSML grammar reference. */
  grammarIndex: number;
  /** The call recording startRecording runs. */
  recording: { url: string; format: string | undefined; since: number } | null;

  /** Adds a line to the transcript at the current moment. */
  line(actor: Actor, text: string, level?: LineLevel, exchange?: number): void;
  /** Lets `duration` seconds pass; returns the signal that interrupted, when `allow` is not null. */
  spend(duration: number, allow: Signals | null): string | undefined;
  /** Plays (or texts) one prompt; returns the signal that interrupted it, if any. */
  speak(item: SayItem, allow: Signals | null, verbHides?: boolean, to?: string): string | undefined;
  /** True when a prompt's text must not reach the transcript. */
  hidden(item: { promptLogSecurity?: string | undefined }, verbHides?: boolean): boolean;
  /** True while the call rings or is answered. */
  callActive(): boolean;
  /** The call state a result reports. */
  resultState(): string;
  disconnect(): void;
  answerCall(headers: Record<string, string> | undefined): void;
  /** The step of a verb that needs a call when there is none. */
  noCall(verb: string): Step;
  /** Tropo refuses the verb: an error line and the error event. */
  platformError(message: string): Step;
  /** The answer to an ask: the first text of a text session, else the input source's. */
  nextInput(question: Omit<AskQuestion, 'at'>): Promise<NextInput>;
  endRecording(why: string): void;
  fakeRecordingUrl(format: string | undefined): string;
  /** The ISO time `secondsIn` simulated seconds after the start. */
  timestampAt(secondsIn: number): string;
  /** A URL as the transcript shows it: the app's own as a path. */
  show(url: string): string;
  /** POSTs a result whose answer Tropo ignores, recording the exchange under `text`. */
  postAside(url: string, payload: ResultPayload, text: string): Promise<void>;
}

/** Runs one verb's body within a document; `run` collects what the result will report. */
export type VerbHandler<Body> = (
  ctx: VerbContext,
  body: Body,
  run: DocumentRun,
) => Step | Promise<Step>;
