/** Apps that fail on purpose, for the tests that check a failure is reported as one (never committed to apps/). */
import { defineApp } from '../../src/sdk/define-app';
import { moduleApp } from '../../src/server/registry';

/** `throws`: a voice app whose start throws "the database is down". */
export function throwingApp(): ReturnType<typeof moduleApp> {
  return moduleApp(
    defineApp({
      name: 'throws',
      description: 'a start that throws',
      channels: ['voice'],
      start: () => {
        throw new Error('the database is down');
      },
    }),
  );
}
