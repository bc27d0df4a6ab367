/** Messages: `message` texts a number, or calls it to speak the message and hangs up (§5.6). */
import type { MessageBody } from '../../tropo';
import { TEXT_NETWORKS } from '../../tropo/fields';
import type { ActionRecord } from '../result-builder';
import { SUPPRESSED } from '../transcript';
import {
  BUSY_SECONDS,
  DEFAULT_LEG_TIMEOUT,
  RING_SECONDS,
  displayAddress,
  plural,
  seconds,
  speakingSeconds,
} from '../session/common';
import { type DocumentRun, type Step, type VerbContext, NEXT, event } from './context';

/** `message`: reports an action only when the message call fails. */
export async function message(
  ctx: VerbContext,
  body: MessageBody,
  run: DocumentRun,
): Promise<Step> {
  const to = body.to[0] ?? '';
  const shown = displayAddress(to);
  const network = body.network;
  const channel =
    body.channel ?? (network !== undefined && TEXT_NETWORKS.has(network) ? 'TEXT' : 'VOICE');
  const verbHides = body.promptLogSecurity === 'suppress';
  const text = body.say
    .map((item) => (ctx.hidden(item, verbHides) ? SUPPRESSED : item.value))
    .join(' ');
  const from = body.from !== undefined ? ` from ${displayAddress(body.from)}` : '';
  if (channel === 'TEXT') {
    const media = body.say.reduce((n, item) => n + (item.media === undefined ? 0 : 1), 0);
    const note = media > 0 ? ` [${plural(media, 'item')} with media]` : '';
    ctx.line('tropo', `Tropo texts ${shown}${from}: ${text}${note}`);
    if (body.to.length > 1) {
      ctx.line('tropo', 'Only the first number of "to" receives a text', 'warning');
    }
    return NEXT;
  }
  ctx.line('tropo', `Tropo → calls ${shown}${from} to deliver a message`);
  const timeout = body.timeout ?? DEFAULT_LEG_TIMEOUT;
  const outcome = await ctx.source.leg({ verb: 'message', to: shown, timeout, at: ctx.t });
  if (outcome !== 'answer') {
    const busy = outcome === 'busy';
    ctx.spend(busy ? BUSY_SECONDS : timeout, null);
    ctx.line(
      'caller',
      busy ? `${shown} is busy` : `${shown} does not answer within ${seconds(timeout)}`,
    );
    const action: ActionRecord = {
      verb: 'message',
      name: body.name,
      disposition: busy ? 'BUSY' : 'TIMEOUT',
    };
    run.actions.push({ make: () => action, hide: 'none' });
    return event('incomplete');
  }
  ctx.spend(Math.min(RING_SECONDS, timeout), null);
  ctx.line('caller', `${shown} answers`);
  ctx.line('tropo', `Tropo says to ${shown}: ${text}`);
  ctx.spend(
    body.say.reduce((total, item) => total + speakingSeconds(item.value), 0),
    null,
  );
  ctx.line('tropo', `Tropo hangs up the message call to ${shown}`);
  return NEXT;
}
