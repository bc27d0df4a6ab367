/** Flow control: `wait`, `answer`, `hangup`, `redirect`, `reject` and `generalLogSecurity` (the `on` handlers and the document loop live in ../session/document.ts). */
import type {
  AnswerBody,
  GeneralLogSecurityBody,
  HangupBody,
  RedirectBody,
  RejectBody,
  WaitBody,
} from '../../tropo';
import { displayAddress, seconds } from '../session/common';
import { type Step, type VerbContext, NEXT, event } from './context';

/** `wait`: lets time pass; a signal it allows ends it and fires that signal's event. */
export function wait(ctx: VerbContext, body: WaitBody): Step {
  ctx.line('tropo', `Tropo waits ${seconds(body.milliseconds / 1000)}`);
  const signal = ctx.spend(body.milliseconds / 1000, body.allowSignals);
  return signal ? event(signal) : NEXT;
}

/** `generalLogSecurity`: hides (or shows again) prompts and answers from now on, across documents. */
export function generalLogSecurity(ctx: VerbContext, body: GeneralLogSecurityBody): Step {
  const suppress = body === 'suppress';
  ctx.line(
    'tropo',
    suppress
      ? 'Tropo stops logging this session (generalLogSecurity "suppress")'
      : 'Tropo logs this session again (generalLogSecurity "none")',
  );
  ctx.suppressing = suppress;
  return NEXT;
}

/** `answer`: answers a ringing call (with SIP headers, if given). */
export function answer(ctx: VerbContext, body: AnswerBody): Step {
  if (ctx.state === 'RINGING') ctx.answerCall(body.headers);
  else if (ctx.callActive()) ctx.line('tropo', 'Tropo has already answered the call');
  else return ctx.noCall('answer');
  return NEXT;
}

/** `hangup`: ends the call (or the text conversation) and fires `hangup`. */
export function hangup(ctx: VerbContext, _body: HangupBody): Step {
  if (!ctx.callActive()) {
    ctx.line('tropo', 'Tropo has no call to hang up');
    return NEXT;
  }
  ctx.line('tropo', ctx.channel === 'TEXT' ? 'Tropo ends the conversation' : 'Tropo hangs up');
  ctx.disconnect();
  ctx.endedBy ??= 'the app hung up';
  return event('hangup');
}

/** `redirect`: sends a ringing call elsewhere; the session ends. */
export function redirect(ctx: VerbContext, body: RedirectBody): Step {
  if (ctx.state !== 'RINGING') {
    return ctx.platformError('redirect only works before the call is answered');
  }
  ctx.line('tropo', `Tropo redirects the call to ${displayAddress(body.to)}`);
  ctx.state = 'REDIRECTED';
  ctx.callEverEnded = true;
  return { kind: 'stop', reason: `the call was redirected to ${body.to}` };
}

/** `reject`: refuses a ringing call; the session ends. */
export function reject(ctx: VerbContext, _body: RejectBody): Step {
  if (ctx.state !== 'RINGING') {
    return ctx.platformError('reject only works before the call is answered');
  }
  ctx.line('tropo', 'Tropo rejects the call');
  ctx.state = 'REJECTED';
  ctx.callEverEnded = true;
  return { kind: 'stop', reason: 'the call was rejected' };
}
