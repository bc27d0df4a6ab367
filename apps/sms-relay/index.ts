/**
 * The SMS relay. Launched through the Session API, it texts `msg` to `numberToDial` (and reports
 * `sent` to the campaign that launched it, if one did); on an inbound text it relays the text to
 * RELAY_TO, prefixed with the sender's number.
 */
import { z } from 'zod';
import {
  defineApp,
  hangup,
  MAX_SMS_TEXT,
  message,
  type MessageOptions,
  phoneNumber,
  SMS_SEGMENT,
  plainText,
  toE164,
} from '../../src/sdk';

const params = z.object({
  numberToDial: phoneNumber,
  msg: plainText(MAX_SMS_TEXT),
  from: phoneNumber.optional(),
});

/** Where inbound texts go, and the number outbound texts come from; either may be unset. */
const settings = z.object({
  RELAY_TO: z.string().trim().optional(),
  SMS_FROM: z.string().trim().optional(),
});

/** A sender that is not a phone number (a short code, an IM name) is shown when it looks like one. */
const SHORT_ID = /^[A-Za-z0-9_.@+-]{1,32}$/;

function textMessage(to: string, text: string, from: string | undefined) {
  const body: MessageOptions = { to, say: [{ value: text }], network: 'SMS', channel: 'TEXT' };
  return message(from ? { ...body, from } : body);
}

export default defineApp({
  name: 'sms-relay',
  description:
    'Texts msg to numberToDial (Session API); relays inbound texts to RELAY_TO with the sender number.',
  channels: ['text'],
  params,
  settings,

  async start(ctx) {
    const { session, params: launch, settings, log } = ctx;
    if (launch) {
      if (ctx.campaign) await ctx.outcome('sent');
      const from = launch.from ?? (settings.SMS_FROM ? toE164(settings.SMS_FROM) : undefined);
      log.info({ segments: Math.ceil(launch.msg.length / SMS_SEGMENT) }, 'sending a text');
      return [textMessage(launch.numberToDial, launch.msg, from)];
    }

    const relayTo = settings.RELAY_TO ? toE164(settings.RELAY_TO) : undefined;
    if (!relayTo) {
      log.error(
        { code: 'RELAY_TO_UNSET' },
        settings.RELAY_TO
          ? 'RELAY_TO is not a phone number: the inbound text was not relayed'
          : 'RELAY_TO is not set: the inbound text was not relayed',
      );
      return [hangup()];
    }
    const text = (session.initialText ?? '').trim();
    if (text.length === 0) {
      log.info('inbound text was empty: nothing to relay');
      return [hangup()];
    }
    // The caller IDs are the request's word, not Tropo's: only a real number is sent as one.
    const senderId = session.from?.e164Id ?? session.from?.id ?? '';
    const sender = toE164(senderId) ?? (SHORT_ID.test(senderId) ? senderId : 'unknown');
    const ourId = session.to?.e164Id ?? session.to?.id;
    const ourNumber = ourId ? toE164(ourId) : undefined;
    const relayed = `${sender}: ${text}`.slice(0, MAX_SMS_TEXT);
    return [textMessage(relayTo, relayed, ourNumber)];
  },
});
