import { EventEmitter } from 'node:events';
import { createLogger } from '../../src/runtime/logger';
import { guardUnhandledRejections } from '../../src/runtime/process-guards';
import { logCapture } from '../helpers/test-app';

describe('the unhandled-rejection guard', () => {
  it.each([
    ['an Error', new Error('stray'), { type: 'Error', message: 'stray' }],
    ['a string', 'oops', { type: 'Error', message: 'oops' }],
    [
      'an object String() cannot convert',
      Object.create(null),
      { type: 'Error', message: 'a value that cannot be shown as text was thrown' },
    ],
  ])(
    'when %s is left unhandled, then one error line with UNHANDLED_REJECTION, and removing the guard stops it',
    (_what, reason, err) => {
      const capture = logCapture();
      const target = new EventEmitter();
      const remove = guardUnhandledRejections(createLogger({ destination: capture }), target);
      target.emit('unhandledRejection', reason);
      const lines = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', code: 'UNHANDLED_REJECTION', err });
      remove();
      expect(target.listenerCount('unhandledRejection')).toBe(0);
    },
  );
});
