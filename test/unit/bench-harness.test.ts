/** Tests that the benchmark's baselines answer every scenario per the contract and alike, and that the simulator rate loop counts honestly. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProblem, send } from '../../bench/children';
import { BODIES } from '../../bench/scenarios';
import { measureSessionRate } from '../../bench/simulator';
import { loadTarget, type TargetName } from '../../bench/target';

const BASELINES: TargetName[] = ['raw-http', 'express-echo', 'tropo-webapi-peer'];

async function listen(name: TargetName): Promise<{ server: Server; port: number }> {
  const server = await loadTarget(name).createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe.each(BASELINES)('baseline %s', (name) => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await listen(name)));
  afterAll(() => close(server));

  it('when sent each of its scenarios, then it answers the expected status and shape', async () => {
    const target = loadTarget(name);
    expect(target.scenarios.map((s) => s.scenario)).toEqual([
      'start',
      'continue',
      'static',
      'rejected',
    ]);
    for (const req of target.scenarios) {
      const answer = await send(port, req);
      expect({ scenario: req.scenario, problem: answerProblem(req, answer) }).toEqual({
        scenario: req.scenario,
        problem: undefined,
      });
      expect(answer.contentType).toBe('application/json; charset=utf-8');
    }
  });

  it('when sent the reminder session, then it calls numberToDial and says msg', async () => {
    const req = loadTarget(name).scenarios.find((s) => s.scenario === 'start');
    if (req === undefined) throw new Error('no start scenario');
    const answer = await send(port, req);
    const params = JSON.parse(BODIES.reminderSession).session.parameters;
    expect(JSON.parse(answer.body)).toEqual({
      tropo: [
        { call: { to: params.numberToDial } },
        { say: { value: params.msg } },
        { on: { event: 'continue', next: '/apps/appointment-reminder/on/confirm' } },
      ],
    });
  });

  it('when sent the ask result, then it acknowledges the answer and hangs up', async () => {
    const req = loadTarget(name).scenarios.find((s) => s.scenario === 'continue');
    if (req === undefined) throw new Error('no continue scenario');
    const answer = await send(port, req);
    expect(JSON.parse(answer.body)).toEqual({
      tropo: [{ say: { value: 'Thank you, we noted 1980. Goodbye.' } }, { hangup: {} }],
    });
  });
});

describe('simulator session rate', () => {
  it('when sessions take about 5 ms, then the rate is counted over the real elapsed time', async () => {
    const play = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
    const rate = await measureSessionRate(play, 100, 2);
    expect(rate.sessions).toBeGreaterThan(4);
    expect(rate.sessions).toBeLessThanOrEqual(2 * Math.ceil(rate.seconds / 0.005) + 2);
    expect(rate.perSecond).toBeCloseTo(rate.sessions / rate.seconds);
  });

  it('when a session fails, then the measurement fails', async () => {
    const play = (): Promise<void> => Promise.reject(new Error('invalid document'));
    await expect(measureSessionRate(play, 50, 1)).rejects.toThrow('invalid document');
  });
});
