/** `tropo-app serve` in process: its usage and a start-up failure (the running server is tested by spawning it, in entry.test.ts). */
import { serve } from '../../../src/cli/serve';
import { memoryIO } from '../../helpers/memory-io';

describe('tropo-app serve', () => {
  it('when given any argument, then usage on stderr and exit 2, and no server starts', async () => {
    const io = memoryIO();
    await expect(serve(['--port', '8080'], io)).resolves.toBe(2);
    expect(io.err()).toMatch(/usage: tropo-app serve/);
    expect(io.out()).toBe('');
  });

  it('when the configuration is invalid, then the start-up error is printed and it exits 1', async () => {
    // The server reads process.env (the runtime config is its only reader), not the CommandIO.
    const saved = process.env.PORT;
    process.env.PORT = 'not-a-port';
    try {
      const io = memoryIO();
      await expect(serve([], io)).resolves.toBe(1);
      expect(io.err()).toContain('PORT');
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});
