/**
 * An inbound voice example: a small menu that asks for a department by key or by voice, follows
 * the answer with `on` handlers (continue, incomplete, hangup) and reads the result by action name.
 */
import { ask, defineApp, findAction, hangup, on, say } from '../../src/sdk';

const DEPARTMENTS: Record<string, string> = {
  sales: 'Our sales team is available weekdays from 9 to 5.',
  support: 'For support, please visit our help pages or leave a message after the tone next time.',
  hours: 'We are open Monday to Friday, 9 AM to 5 PM.',
};

export default defineApp({
  name: 'ivr-menu',
  description:
    'Inbound voice menu: press or say sales, support or hours; shows ask, on and results.',
  channels: ['voice'],

  start(ctx) {
    ctx.log.info({ caller: ctx.session.from?.network ?? 'unknown' }, 'menu call answered');
    return [
      say({ value: 'Welcome to the example company.' }),
      ask({
        name: 'department',
        attempts: 3,
        timeout: 7,
        choices: { value: 'sales(1, sales), support(2, support), hours(3, hours)' },
        say: [
          {
            value: 'For sales, press 1 or say sales. For support, press 2. For our hours, press 3.',
          },
          { value: 'Sorry, I did not understand.', event: 'nomatch' },
          { value: 'Sorry, I did not hear you.', event: 'timeout' },
        ],
      }),
      on({ event: 'continue', next: ctx.next('choice') }),
      on({ event: 'incomplete', next: ctx.next('incomplete') }),
      on({ event: 'hangup', next: ctx.next('hangup') }),
    ];
  },

  on: {
    choice(ctx) {
      const picked = findAction(ctx.result, 'department')?.value?.toLowerCase() ?? '';
      const text = Object.hasOwn(DEPARTMENTS, picked) ? DEPARTMENTS[picked] : undefined;
      if (!text) return [say({ value: 'Sorry, that is not on the menu. Goodbye.' }), hangup()];
      return [say({ value: `You chose ${picked}. ${text} Goodbye.` }), hangup()];
    },

    incomplete() {
      return [say({ value: 'We did not get a choice. Please call again. Goodbye.' }), hangup()];
    },

    hangup(ctx) {
      ctx.log.info(
        { sessionDuration: ctx.result.sessionDuration },
        'caller hung up during the menu',
      );
      return [hangup()];
    },
  },
});
