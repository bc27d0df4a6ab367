/** Calls and connections: `call` (a new outbound leg), `transfer` (bridging the caller to another party, §5.8.1) and `conference`. */
import type { CallBody, ConferenceBody, TransferBody } from '../../tropo';
import { TEXT_NETWORKS } from '../../tropo/fields';
import { newTropoId } from '../ids';
import { type MachineUserType, buildResult } from '../result-builder';
import { callerId } from '../session-factory';
import { SUPPRESSED } from '../transcript';
import { resolveNextUrl } from '../url';
import {
  BUSY_SECONDS,
  DEFAULT_LEG_TIMEOUT,
  RING_SECONDS,
  displayAddress,
  seconds,
  speakingSeconds,
} from '../session/common';
import { type DocumentRun, type Step, type VerbContext, NEXT, event, interrupted } from './context';
import { ask } from './speech';

/** The id a result reports for a dialled address (`tel:+14155551212` → `14155551212`). */
function calledIdOf(to: string, channel: 'VOICE' | 'TEXT', network: string | undefined): string {
  const net = network ?? (channel === 'TEXT' ? 'SMS' : /^sips?:/i.test(to.trim()) ? 'SIP' : 'PSTN');
  try {
    return callerId(to, channel, net).id;
  } catch {
    // Not an address callerId can read: the result shows it as written.
    return displayAddress(to);
  }
}

/** `call`: starts the session's call (a token-launched session has none before it). */
export async function call(ctx: VerbContext, body: CallBody, run: DocumentRun): Promise<Step> {
  if (ctx.callActive()) {
    return ctx.platformError(
      'call starts a new call, but this session already has one (use transfer or message)',
    );
  }
  const to = body.to[0] ?? '';
  const shown = displayAddress(to);
  const network = body.network;
  const channel =
    body.channel ?? (network !== undefined && TEXT_NETWORKS.has(network) ? 'TEXT' : 'VOICE');
  const from = body.from !== undefined ? ` from ${displayAddress(body.from)}` : '';
  const others =
    body.to.length > 1 ? ` (and ${body.to.length - 1} more: the first to answer wins)` : '';
  ctx.callId = newTropoId(ctx.random);
  ctx.calledid = calledIdOf(to, channel, network);
  ctx.party = shown;
  ctx.callEverEnded = false;
  const started = ctx.t;

  if (channel === 'TEXT') {
    ctx.line('tropo', `Tropo → starts a text conversation with ${shown}${from}`);
    ctx.channel = 'TEXT';
    ctx.state = 'ANSWERED';
    return NEXT;
  }
  ctx.line('tropo', `Tropo → calls ${shown}${from}${others}`);
  const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
  const failed = (disposition: 'BUSY' | 'TIMEOUT'): Step => {
    ctx.state = 'FAILED';
    ctx.callEverEnded = true;
    run.actions.push({
      make: () => ({
        verb: 'call',
        name: body.name,
        duration: ctx.t - started,
        connectedDuration: 0,
        disposition,
        timestamp: ctx.timestampAt(started),
        calledid: ctx.calledid,
      }),
      hide: 'none',
    });
    return event('incomplete');
  };
  switch (await ctx.source.leg({ verb: 'call', to: shown, timeout, at: ctx.t })) {
    case 'busy': {
      const signal = ctx.spend(BUSY_SECONDS, body.allowSignals);
      if (signal) return event(signal);
      ctx.line('caller', `${shown} is busy`);
      return failed('BUSY');
    }
    case 'no-answer': {
      const signal = ctx.spend(timeout, body.allowSignals);
      if (signal) return event(signal);
      ctx.line('caller', `${shown} does not answer within ${seconds(timeout)}`);
      return failed('TIMEOUT');
    }
    case 'answer': {
      const signal = ctx.spend(Math.min(RING_SECONDS, timeout), body.allowSignals);
      if (signal) return event(signal);
      ctx.line('caller', `${shown} answers`);
      ctx.state = 'ANSWERED';
      ctx.channel = 'VOICE';
      detectMachine(ctx, body.machineDetection, body.promptLogSecurity === 'suppress', run);
      return NEXT;
    }
  }
}

/** Machine detection on an answered call: its verdict goes into the document's result. */
function detectMachine(
  ctx: VerbContext,
  detection: CallBody['machineDetection'],
  hides: boolean,
  run: DocumentRun,
): void {
  if (detection === undefined || detection === false) return;
  if (typeof detection === 'object') {
    const text = ctx.suppressing || hides ? SUPPRESSED : detection.introduction;
    ctx.line('tropo', `Tropo says while it listens: ${text}`);
    ctx.spend(speakingSeconds(detection.introduction), null);
  }
  const userType = ctx.script.userType;
  ctx.line('tropo', `Machine detection: ${userType}`);
  run.userType = userType;
}

/** `transfer`: rings the other party, runs its connect handlers, then bridges the legs. */
export async function transfer(
  ctx: VerbContext,
  body: TransferBody,
  run: DocumentRun,
): Promise<Step> {
  if (ctx.channel === 'TEXT') return ctx.platformError('transfer only works on a voice call');
  if (!ctx.callActive()) return ctx.noCall('transfer');
  const to = body.to[0] ?? '';
  const shown = displayAddress(to);
  const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
  // §4.6: a transfer is only interruptible when it has a terminator.
  const allow = body.choices?.terminator !== undefined ? body.allowSignals : null;
  const handlers = body.on ?? [];
  const started = ctx.t;
  const others =
    body.to.length > 1 ? ` (and ${body.to.length - 1} more: the first to answer wins)` : '';
  ctx.line('tropo', `Tropo transfers the caller to ${shown}${others}`);
  for (const ring of handlers.filter((h) => h.event === 'ring')) {
    const times = body.ringRepeat ?? 1;
    for (const item of ring.say ?? []) {
      const text = ctx.hidden(item) ? SUPPRESSED : item.value;
      ctx.line(
        'tropo',
        `The caller hears while it rings${times > 1 ? ` (×${times})` : ''}: ${text}`,
      );
    }
  }
  const report = (
    disposition: string,
    connectedSince: number | undefined,
    userType?: MachineUserType,
  ): void => {
    const ended = ctx.t;
    const calledid = calledIdOf(to, 'VOICE', undefined);
    run.actions.push({
      make: () => ({
        verb: 'transfer',
        name: body.name,
        duration: ended - started,
        connectedDuration: connectedSince === undefined ? 0 : ended - connectedSince,
        disposition,
        timestamp: ctx.timestampAt(started),
        calledid,
        userType,
      }),
      hide: 'none',
    });
  };
  const outcome = await ctx.source.leg({ verb: 'transfer', to: shown, timeout, at: ctx.t });
  if (outcome !== 'answer') {
    const busy = outcome === 'busy';
    const signal = ctx.spend(busy ? BUSY_SECONDS : timeout, allow);
    if (signal) return interrupted(signal, (disposition) => report(disposition, undefined));
    ctx.line(
      'caller',
      busy ? `${shown} is busy` : `${shown} does not answer within ${seconds(timeout)}`,
    );
    report(busy ? 'BUSY' : 'TIMEOUT', undefined);
    return event('incomplete');
  }
  const ringing = ctx.spend(Math.min(RING_SECONDS, timeout), allow);
  if (ringing) return interrupted(ringing, (disposition) => report(disposition, undefined));
  ctx.line('caller', `${shown} answers`);
  let userType: MachineUserType | undefined;
  if (body.machineDetection !== undefined && body.machineDetection !== false) {
    userType = ctx.script.userType;
    ctx.line('tropo', `Machine detection: ${userType}`);
  }
  // §5.8.1: connect handlers run on the called party, in order, before the legs are bridged.
  const caller = ctx.party;
  ctx.party = shown;
  try {
    for (const connect of handlers.filter((h) => h.event === 'connect')) {
      for (const item of connect.say ?? []) ctx.speak(item, null, false, shown);
      if (connect.ask) {
        const whisper = await ask(ctx, connect.ask, null, shown);
        if (whisper.kind !== 'next') {
          ctx.line('tropo', `${shown} does not accept: Tropo drops that leg`);
          report('FAILED', undefined, userType);
          return event('incomplete');
        }
      }
      if (connect.post !== undefined) await connectPost(ctx, connect.post, run.url);
    }
  } finally {
    ctx.party = caller;
  }
  const connectedSince = ctx.t;
  ctx.line('tropo', `The caller and ${shown} are connected`);
  const signal = ctx.spend(ctx.script.transferDuration, allow);
  if (signal) {
    return interrupted(signal, (disposition) => report(disposition, connectedSince, userType));
  }
  ctx.line('caller', `${shown} hangs up after ${seconds(ctx.script.transferDuration)}`);
  report('SUCCESS', connectedSince, userType);
  return NEXT;
}

/** A connect handler's `post`: the result envelope without actions, answer ignored (§7.4). */
async function connectPost(ctx: VerbContext, post: string, documentUrl: string): Promise<void> {
  const resolved = resolveNextUrl(post, documentUrl);
  if (!resolved.ok) {
    ctx.line('tropo', `Tropo cannot POST the connect notice: ${resolved.reason}`, 'warning');
    return;
  }
  const payload = buildResult({
    sessionId: ctx.sessionId,
    callId: ctx.callId,
    state: ctx.resultState(),
    sessionDuration: ctx.t,
    // The shortened result does not count as one of the session's results.
    sequence: ctx.resultCount + 1,
    actions: [],
  });
  await ctx.postAside(
    resolved.url,
    payload,
    `Tropo POSTs a connect notice to ${ctx.show(resolved.url)} (its answer is ignored)`,
  );
}

/** `conference`: the caller stays in the room until the script has it hang up or a signal comes. */
export async function conference(
  ctx: VerbContext,
  body: ConferenceBody,
  run: DocumentRun,
): Promise<Step> {
  if (ctx.channel === 'TEXT') return ctx.platformError('conference only works on a voice call');
  if (!ctx.callActive()) return ctx.noCall('conference');
  const allow = body.terminator !== undefined ? body.allowSignals : null;
  const started = ctx.t;
  ctx.line(
    'tropo',
    `Tropo puts the caller in conference room ${body.id}${body.mute === true ? ' (muted)' : ''}`,
  );
  if (body.joinPrompt !== undefined && body.joinPrompt !== false) {
    ctx.line('tropo', 'Tropo announces the caller to the room');
  }
  const report = (disposition: string): void => {
    const duration = ctx.t - started;
    run.actions.push({
      make: () => ({ verb: 'conference', name: body.name, duration, disposition }),
      hide: 'none',
    });
  };
  const stay = (await ctx.source.conference({ room: body.id, at: ctx.t })).seconds;
  const duration = stay ?? ctx.script.conferenceDuration;
  const signal = ctx.spend(duration, allow);
  if (signal) return interrupted(signal, report);
  ctx.line('caller', `Caller hangs up after ${seconds(duration)} in the conference`);
  ctx.disconnect();
  ctx.endedBy ??= 'the caller hung up';
  // The 2011 capture: a caller leaving a conference by hanging up reports HANGUP.
  report('HANGUP');
  return event('hangup');
}
