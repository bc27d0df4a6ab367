/** The benchmark's simulator hook: one appointment-reminder session with confirmation (the session document, then the confirm handler) against the product server in process. */
import { parseScriptArgs, simulate, startLocalServer } from '../src/simulator';
import type { SimulatorFlow } from './simulator';

export const simulatorFlow: SimulatorFlow = {
  description:
    'appointment-reminder with confirm=true, the callee presses 1: session POST + one result POST to createApp on loopback',
  async setup() {
    const server = await startLocalServer({ env: {} });
    const startUrl = `${server.origin}/apps/appointment-reminder/start`;
    const script = parseScriptArgs(['--input', '1']).script;
    return {
      async playSession() {
        const transcript = await simulate({
          startUrl,
          session: {
            kind: 'token',
            token: 'bench-token',
            parameters: {
              numberToDial: '+14075551212',
              msg: 'Benchmark reminder',
              confirm: 'true',
            },
          },
          script,
          timeoutMs: 5000,
        });
        const outcome = transcript.outcome;
        if (outcome?.status !== 'completed' || transcript.documents !== 2) {
          throw new Error(
            `the benchmark session did not end normally after two documents: ${outcome?.reason ?? 'still running'} (${transcript.documents} documents)`,
          );
        }
      },
      close: () => server.close(),
    };
  },
};
