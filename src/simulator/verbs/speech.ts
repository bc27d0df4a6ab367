/** Speech and prompts: `say`, and `ask` with its attempts, event prompts and grammar matching (§5.1, §5.2). */
import type { AskBody, SayItem } from '../../tropo';
import { matchGrammar, parseGrammar, toCallerInput } from '../grammar';
import { type ActionRecord, askSuccess } from '../result-builder';
import { SUPPRESSED, maskInput } from '../transcript';
import {
  DEFAULT_ASK_TIMEOUT,
  RESPONSE_SECONDS,
  eventItems,
  plural,
  seconds,
} from '../session/common';
import {
  type DocumentRun,
  type Hide,
  type Step,
  type VerbContext,
  NEXT,
  event,
  interrupted,
} from './context';

/** `say`: plays each prompt; a signal the prompt allows interrupts it. */
export function say(ctx: VerbContext, items: readonly SayItem[]): Step {
  if (!ctx.callActive()) return ctx.noCall('say');
  for (const item of items) {
    // `event` only means something on says nested in ask and record.
    if (item.event !== undefined) continue;
    const signal = ctx.speak(item, item.allowSignals);
    if (signal) return event(signal);
  }
  return NEXT;
}

/**
 * Runs an ask: prompts, input from the script, grammar matching, attempts and event prompts.
 * `who` names the party answering (the caller, or the callee of a transfer's connect whisper);
 * `run` is null for a whisper, whose outcome is not reported in the result.
 */
export async function ask(
  ctx: VerbContext,
  body: AskBody,
  run: DocumentRun | null,
  who = 'Caller',
): Promise<Step> {
  if (!ctx.callActive()) return ctx.noCall('ask');
  const channel = run === null ? 'VOICE' : (ctx.channel ?? 'VOICE');
  const grammar = parseGrammar(body.choices.value);
  if (!grammar.supported) {
    return ctx.platformError(`the simulator cannot run this grammar: ${grammar.reason}`);
  }
  if (grammar.usesAny && channel === 'VOICE') {
    return ctx.platformError('the [ANY] grammar only works on the TEXT channel');
  }
  const attempts = body.attempts ?? 1;
  const timeout = body.timeout ?? DEFAULT_ASK_TIMEOUT;
  const allow = body.allowSignals;
  const verbHides = body.promptLogSecurity === 'suppress';
  const asr = ctx.suppressing ? 'suppress' : (body.asrLogSecurity ?? 'none');
  const hide: Hide =
    asr === 'suppress' ? 'suppress' : asr === 'mask' ? { mask: body.maskTemplate } : 'none';
  const shownInput = (text: string): string =>
    hide === 'none' ? text : hide === 'suppress' ? SUPPRESSED : maskInput(text, hide.mask);
  // An ask without say is valid (only choices is required): it listens without a prompt.
  const says = body.say ?? [];
  const prompts = says.filter((item) => item.event === undefined);
  const report = (record: ActionRecord): void => {
    run?.actions.push({ make: () => record, hide });
  };
  const cutShort = (signal: string, attempt: number): Step =>
    interrupted(signal, (disposition) =>
      report({ verb: 'ask', name: body.name, attempts: attempt, disposition }),
    );
  const speak = (items: readonly SayItem[]): string | undefined => {
    for (const item of items) {
      const signal = ctx.speak(item, allow, verbHides, run === null ? ctx.party : undefined);
      if (signal) return signal;
    }
    return undefined;
  };

  let failed: { kind: 'nomatch' | 'timeout'; attempt: number } | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (failed) {
      const signal = speak(eventItems(says, failed.kind, failed.attempt));
      if (signal) return cutShort(signal, attempt - 1);
    }
    const signal = speak(prompts);
    if (signal) return cutShort(signal, attempt);
    const grammarIndex = ctx.grammarIndex++;
    const input = await ctx.nextInput({
      who,
      channel,
      timeout,
      attempt,
      attempts,
      mode: body.choices.mode,
      choices: body.choices.value,
    });
    const silence = (): string | undefined => {
      ctx.line(
        'caller',
        channel === 'TEXT'
          ? `No reply within ${seconds(timeout)}`
          : `${who} says nothing for ${seconds(timeout)}`,
      );
      return ctx.spend(timeout, allow);
    };
    if (input.kind === 'timeout') {
      const s = silence();
      if (s) return cutShort(s, attempt);
      failed = { kind: 'timeout', attempt };
      continue;
    }
    if (input.kind === 'hangup') {
      ctx.line('caller', `${who} hangs up`);
      ctx.spend(RESPONSE_SECONDS, null);
      if (run === null) return event('incomplete');
      ctx.disconnect();
      ctx.endedBy ??= 'the caller hung up';
      report({ verb: 'ask', name: body.name, attempts: attempt, disposition: 'HANGUP' });
      return event('hangup');
    }
    if (input.kind === 'nomatch') {
      ctx.line(
        'caller',
        `${who} ${channel === 'TEXT' ? 'texts' : 'says'} something the grammar does not cover`,
      );
      const s = ctx.spend(RESPONSE_SECONDS, allow);
      if (s) return cutShort(s, attempt);
      failed = { kind: 'nomatch', attempt };
      continue;
    }
    const via = input.kind === 'answer' ? input.via : undefined;
    const heard = toCallerInput(input.text, channel, via);
    if (input.kind === 'initial') {
      ctx.line('caller', `The first text answers it: ${shownInput(input.text)}`);
    } else if (heard.via === 'dtmf') {
      ctx.line('caller', `${who} presses ${shownInput(input.text.replace(/\s+/g, ''))}`);
    } else if (heard.via === 'speech') {
      ctx.line('caller', `${who} says "${shownInput(input.text)}"`);
    } else {
      ctx.line('caller', `${who} texts: ${shownInput(input.text)}`);
    }
    const s = ctx.spend(input.kind === 'initial' ? 0 : RESPONSE_SECONDS, allow);
    if (s) return cutShort(s, attempt);
    const match = matchGrammar(grammar, heard, {
      mode: body.choices.mode,
      terminator: body.choices.terminator,
      minConfidence: body.minConfidence,
      grammarIndex,
    });
    if (match.matched) {
      const detail =
        match.interpretation !== match.value ? ` (${shownInput(match.interpretation)})` : '';
      ctx.line('tropo', `Tropo recognises "${shownInput(match.value)}"${detail}`);
      report(askSuccess(body.name, attempt, match));
      return NEXT;
    }
    if (match.reason === 'ignored') {
      ctx.line('tropo', `Tropo does not hear it: ${match.message}`);
      const s2 = ctx.spend(timeout, allow);
      if (s2) return cutShort(s2, attempt);
      failed = { kind: 'timeout', attempt };
      continue;
    }
    ctx.line(
      'tropo',
      hide === 'none'
        ? `Tropo does not recognise it: ${match.message}`
        : 'Tropo does not recognise it',
    );
    failed = { kind: 'nomatch', attempt };
  }
  const disposition = failed?.kind === 'nomatch' ? 'NOMATCH' : 'TIMEOUT';
  ctx.line('tropo', `The ask gets no answer after ${plural(attempts, 'attempt')} (${disposition})`);
  report({ verb: 'ask', name: body.name, attempts, disposition });
  return event('incomplete');
}
