/** Tests that the benchmark's simulator hook loads and plays its two-document session. */
import { loadSimulatorFlow, measureSessionRate } from '../../bench/simulator';

describe('bench/simulator-flow.ts', () => {
  it('when loaded by the harness, then it plays complete reminder sessions', async () => {
    const flow = loadSimulatorFlow();
    if ('skipped' in flow) throw new Error(`the hook was skipped: ${flow.skipped}`);
    const { playSession, close } = await flow.setup();
    try {
      const rate = await measureSessionRate(playSession, 200, 1);
      expect(rate.sessions).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
