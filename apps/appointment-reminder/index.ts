/**
 * The appointment reminder: launched through the Session API with `numberToDial` and `msg`, it calls
 * the number and says the message; with `confirm=true` it asks the callee to confirm or cancel.
 * It hears back how the call went; launched by a campaign, it reports it: answered, confirmed,
 * declined, or no-answer / busy / failed when the call itself failed.
 */
import { z } from 'zod';
import {
  ask,
  call,
  defineApp,
  type CampaignOutcome,
  findAction,
  type HandlerContext,
  hangup,
  MAX_SPOKEN_TEXT,
  on,
  phoneNumber,
  plainText,
  say,
  telUri,
  type Result,
  type Verb,
  voiceName,
} from '../../src/sdk';

const params = z.object({
  numberToDial: phoneNumber,
  msg: plainText(MAX_SPOKEN_TEXT),
  voice: voiceName.optional(),
  confirm: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});

type Params = z.output<typeof params>;

/** What the confirm handler needs to repeat, kept in conversation state between documents. */
interface Appointment {
  msg: string;
  voice: string | null;
}

const APPOINTMENT = 'appointment';

/** The message as a sentence: a full stop added unless it already ends one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function voiced(value: string, voice: string | null | undefined) {
  return voice ? { value, voice } : { value };
}

/** How a failed outbound call ended (Tropo's call state FAILED), or undefined when it connected. */
function callFailure(result: Result): CampaignOutcome | undefined {
  if (result.state !== 'FAILED') return undefined;
  const dispositions = result.actions.map((a) => a.disposition?.toUpperCase());
  if (dispositions.includes('BUSY')) return 'busy';
  if (dispositions.includes('TIMEOUT')) return 'no-answer';
  return 'failed';
}

async function appointmentOf(ctx: HandlerContext<Params>): Promise<Appointment | undefined> {
  const stored = await ctx.state.get<{ msg: string; voice: string | null }>(APPOINTMENT);
  return stored && typeof stored.msg === 'string' ? stored : undefined;
}

export default defineApp<Params>({
  name: 'appointment-reminder',
  description:
    'Calls numberToDial and says msg (Session API parameters); with confirm=true asks to confirm or cancel.',
  channels: ['voice'],
  params,

  async start(ctx) {
    if (!ctx.params) {
      throw new Error(
        'the appointment reminder starts only from the Session API (numberToDial, msg)',
      );
    }
    const { numberToDial, msg, voice, confirm } = ctx.params;
    const verbs: Verb[] = [call({ to: telUri(numberToDial) }), say(voiced(msg, voice))];
    if (!confirm) {
      // `continue` after the message was heard, `incomplete` if the call failed: a campaign records
      // the outcome, and any launch gets a log line saying the call did not connect.
      return [
        ...verbs,
        on({ event: 'continue', next: ctx.next('heard') }),
        on({ event: 'incomplete', next: ctx.next('incomplete') }),
      ];
    }

    await ctx.state.set(APPOINTMENT, { msg, voice: voice ?? null });
    return [
      ...verbs,
      ask({
        name: 'confirm',
        attempts: 3,
        timeout: 10,
        choices: { value: 'confirm(1, confirm), cancel(2, cancel)', mode: 'dtmf' },
        say: [
          voiced('Press 1 to confirm, 2 to cancel.', voice),
          {
            ...voiced('Sorry, that is not a choice. Press 1 to confirm, 2 to cancel.', voice),
            event: 'nomatch',
          },
          {
            ...voiced('We did not hear anything. Press 1 to confirm, 2 to cancel.', voice),
            event: 'timeout',
          },
        ],
      }),
      on({ event: 'continue', next: ctx.next('confirm') }),
      on({ event: 'incomplete', next: ctx.next('incomplete') }),
    ];
  },

  on: {
    async heard(ctx) {
      await ctx.outcome('answered');
      return [hangup()];
    },

    async confirm(ctx) {
      const appointment = await appointmentOf(ctx);
      const answer = findAction(ctx.result, 'confirm');
      const choice = answer?.value?.toLowerCase();
      const voice = appointment?.voice;
      await ctx.state.delete();
      if (choice !== 'confirm' && choice !== 'cancel') {
        await ctx.outcome('answered');
        ctx.log.warn(
          { disposition: answer?.disposition },
          'confirm handler reached without a choice',
        );
        return [say(voiced('We could not record your answer. Goodbye.', voice)), hangup()];
      }
      await ctx.outcome(choice === 'confirm' ? 'confirmed' : 'declined');
      const outcome = choice === 'confirm' ? 'confirmed' : 'cancelled';
      const repeated = appointment ? `${sentence(appointment.msg)} ` : '';
      ctx.log.info({ choice }, 'appointment answered');
      return [say(voiced(`${repeated}Your appointment is ${outcome}. Goodbye.`, voice)), hangup()];
    },

    async incomplete(ctx) {
      const failure = callFailure(ctx.result);
      if (failure) {
        // Nobody is on the line: nothing to say.
        await ctx.outcome(failure);
        await ctx.state.delete();
        ctx.log.info({ outcome: failure }, 'the call did not connect');
        return [hangup()];
      }
      await ctx.outcome('answered');
      const appointment = await appointmentOf(ctx);
      await ctx.state.delete();
      ctx.log.info('no answer to the confirmation');
      return [
        say(
          voiced(
            'We did not get your answer. We will keep your appointment as it is. Goodbye.',
            appointment?.voice,
          ),
        ),
        hangup(),
      ];
    },
  },
});
