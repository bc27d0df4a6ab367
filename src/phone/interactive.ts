/**
 * The browser phone's input source: each question the engine asks (an ask, a leg that rings, a
 * recording, a conference) waits until the page replies, or until the person hangs up; after a
 * hang-up every question gets the hang-up's answer at once so the session runs to its end.
 */
import { z } from 'zod';
import type {
  AskQuestion,
  ConferenceQuestion,
  InputSource,
  LegQuestion,
  RecordAnswer,
  RecordQuestion,
} from '../simulator/session/input-source';
import {
  type LegOutcome,
  type ScriptedInput,
  isScriptError,
  parseInput,
} from '../simulator/script';

/** A question as the page receives it. */
export type Question =
  | ({ kind: 'ask' } & AskQuestion)
  | ({ kind: 'leg' } & LegQuestion)
  | ({ kind: 'record' } & RecordQuestion)
  | ({ kind: 'conference' } & ConferenceQuestion);

/** What the page may reply, by the kind of question it answers. */
export const replySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ask'),
    /** Key presses, words spoken, a text, or silence until the timeout. */
    via: z.enum(['dtmf', 'speech', 'text', 'timeout']),
    text: z.string().max(1000).optional(),
  }),
  z.object({ kind: z.literal('leg'), outcome: z.enum(['answer', 'busy', 'no-answer']) }),
  z.object({ kind: z.literal('record'), outcome: z.enum(['recorded', 'timeout']) }),
  z.object({ kind: z.literal('conference') }),
]);

/** A reply the page sent. */
export type Reply = z.infer<typeof replySchema>;

/** Why a reply was refused. */
export type ReplyRefusal =
  { code: 'PHONE_NOT_WAITING' } | { code: 'PHONE_REQUEST_INVALID'; message: string };

interface Pending {
  id: number;
  question: Question;
  askedAt: number;
  settle: (reply: Reply | 'hangup', elapsedSeconds: number) => void;
}

/** The input source a person drives; `ask` is told of each question (with its id) as it is asked. */
export class InteractiveSource implements InputSource {
  private pending: Pending | null = null;
  private nextId = 1;
  private hungUp = false;

  constructor(
    private readonly onQuestion: (id: number, question: Question) => void,
    /** Real milliseconds, for how long a recording or a conference lasted. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True once the person hung up (or the page went away). */
  get ended(): boolean {
    return this.hungUp;
  }

  /** The question waiting for a reply, if any. */
  get waiting(): { id: number; question: Question } | null {
    return this.pending ? { id: this.pending.id, question: this.pending.question } : null;
  }

  /** Hands the page's reply to question `id`; refused when that question is not the one waiting. */
  reply(id: number, reply: Reply): ReplyRefusal | undefined {
    const pending = this.pending;
    if (!pending || pending.id !== id) return { code: 'PHONE_NOT_WAITING' };
    if (reply.kind !== pending.question.kind) {
      return {
        code: 'PHONE_REQUEST_INVALID',
        message: `question ${id} is a ${pending.question.kind}, not a ${reply.kind}`,
      };
    }
    if (reply.kind === 'ask' && reply.via !== 'timeout') {
      try {
        parseInput(`${reply.via === 'text' ? '' : `${reply.via}:`}${reply.text ?? ''}`, 'text');
      } catch (err) {
        if (!isScriptError(err)) throw err;
        return { code: 'PHONE_REQUEST_INVALID', message: err.message };
      }
    }
    this.pending = null;
    pending.settle(reply, (this.now() - pending.askedAt) / 1000);
    return undefined;
  }

  /** The person hangs up: the waiting question and every later one get the hang-up's answer. */
  hangup(): void {
    this.hungUp = true;
    const pending = this.pending;
    this.pending = null;
    pending?.settle('hangup', (this.now() - pending.askedAt) / 1000);
  }

  answer(question: AskQuestion): Promise<ScriptedInput> {
    return this.put({ kind: 'ask', ...question }, (reply) => {
      if (reply === 'hangup') return { kind: 'hangup' };
      if (reply.kind !== 'ask' || reply.via === 'timeout') return { kind: 'timeout' };
      const text = reply.text ?? '';
      return reply.via === 'text'
        ? parseInput(text, 'text')
        : { kind: 'answer', text: text.trim(), via: reply.via };
    });
  }

  leg(question: LegQuestion): Promise<LegOutcome> {
    // Hanging up while the far end rings: nobody answers for it.
    return this.put({ kind: 'leg', ...question }, (reply) =>
      reply !== 'hangup' && reply.kind === 'leg' ? reply.outcome : 'no-answer',
    );
  }

  record(question: RecordQuestion): Promise<RecordAnswer> {
    return this.put({ kind: 'record', ...question }, (reply, elapsed): RecordAnswer => {
      if (reply === 'hangup') return { outcome: 'hangup' };
      if (reply.kind !== 'record' || reply.outcome === 'timeout') return { outcome: 'timeout' };
      return { outcome: 'recorded', seconds: Math.max(1, Math.round(elapsed)) };
    });
  }

  conference(question: ConferenceQuestion): Promise<{ seconds?: number }> {
    return this.put({ kind: 'conference', ...question }, (_reply, elapsed) => ({
      seconds: Math.round(elapsed),
    }));
  }

  private put<T>(
    question: Question,
    read: (reply: Reply | 'hangup', elapsed: number) => T,
  ): Promise<T> {
    if (this.hungUp) return Promise.resolve(read('hangup', 0));
    if (this.pending) {
      // The engine asks one question at a time; a second one would be a bug worth seeing.
      return Promise.reject(new Error('the phone was asked a question while another one waits'));
    }
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.pending = {
        id,
        question,
        askedAt: this.now(),
        settle: (reply, elapsed) => {
          try {
            resolve(read(reply, elapsed));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        },
      };
      this.onQuestion(id, question);
    });
  }
}
