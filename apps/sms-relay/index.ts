/**
 * The SMS relay. Launched through the Session API, it texts `msg` to `numberToDial`; on an inbound
 * text it relays the text to RELAY_TO, prefixed with the sender's number.
 */
import { z } from 'zod';
import { defineApp } from '../../src/define-app';
import { phoneNumber, toE164 } from '../../src/phone';
import { MAX_SMS_TEXT, plainText } from '../../src/text';
import { hangup, message, type MessageOptions } from '../../src/tropo';

const params = z.object({
  numberToDial: phoneNumber,
  msg: plainText(MAX_SMS_TEXT),
  from: phoneNumber.optional(),
});

type Params = z.output<typeof params>;

function textMessage(to: string, text: string, from: string | undefined) {
  const body: MessageOptions = { to, say: [{ value: text }], network: 'SMS', channel: 'TEXT' };
  return message(from ? { ...body, from } : body);
}

export default defineApp<Params>({
  name: 'sms-relay',
  description:
    'Texts msg to numberToDial (Session API); relays inbound texts to RELAY_TO with the sender number.',
  channels: ['text'],
  params,

  start(ctx) {
    const { session, params: launch, settings, log } = ctx;
    if (launch) {
      const from = launch.from ?? (settings.smsFrom ? toE164(settings.smsFrom) : undefined);
      log.info({ segments: Math.ceil(launch.msg.length / 160) }, 'sending a text');
      return [textMessage(launch.numberToDial, launch.msg, from)];
    }

    const relayTo = settings.relayTo ? toE164(settings.relayTo) : undefined;
    if (!relayTo) {
      log.error(
        { code: 'RELAY_TO_UNSET' },
        settings.relayTo
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
    const sender = session.from?.e164Id ?? session.from?.id ?? 'unknown';
    const relayed = `${sender}: ${text}`.slice(0, MAX_SMS_TEXT);
    return [textMessage(relayTo, relayed, session.to?.e164Id ?? session.to?.id)];
  },
});
