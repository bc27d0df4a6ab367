/** Tests for `tropo-app fake-tropo`'s outcome flags and launch log: parsing, refusals, and what a launch meets. */
import { createFakeTropoCommand } from '../../../src/cli/fake-tropo';
import { createSessionApiClient } from '../../../src/session-api';
import { outcomeFor, type FakeTropoLaunch } from '../../../src/simulator';
import { memoryIO } from '../../helpers/memory-io';
import { refusedBaseUrl } from '../../helpers/stub-tropo';

describe('tropo-app fake-tropo outcomes', () => {
  it.each([
    [['--outcome', 'busy'], '--outcome: expected NUMBER=busy|no-answer|answer'],
    [['--outcome', '+14075550001=maybe'], 'expected one of answer, busy, no-answer'],
    [['--outcomes', 'busy=10'], 'busy cannot be more than 100%'],
    [['--outcomes', 'busy=70%,no-answer=40%'], 'together cannot be more than 100%'],
    [['--outcomes', 'ringing=5%'], '--outcomes: expected busy=P%,no-answer=P%'],
  ])('when given %j, then it exits 2 with the reason', async (args, message) => {
    const io = memoryIO();
    await expect(
      createFakeTropoCommand()(['--start-url', 'http://x/start', ...args], io),
    ).resolves.toBe(2);
    expect(io.err()).toContain(message);
  });

  it('when --help is asked, then the outcome flags and /launches are described', async () => {
    const io = memoryIO();
    await expect(createFakeTropoCommand()(['--help'], io)).resolves.toBe(0);
    expect(io.out()).toContain('--outcome NUMBER=busy|no-answer|answer');
    expect(io.out()).toContain('--outcomes busy=10%,no-answer=10%');
    expect(io.out()).toContain('GET /launches');
  });

  it('when numbers are launched, then each meets its listed or hashed outcome and /launches lists them in order', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => `+1407555${String(i).padStart(4, '0')}`);
    const shares = { busy: 0.3, 'no-answer': 0.3 };
    let served: FakeTropoLaunch[] = [];
    const command = createFakeTropoCommand({
      untilStopped: async (fake) => {
        const client = createSessionApiClient({ baseUrl: fake.apiUrl, retries: 0 });
        for (const numberToDial of numbers) {
          const { id } = await client.createSession({
            token: 'fake-outcome-token',
            parameters: { numberToDial },
          });
          await fake.finished(id);
        }
        served = (await (await fetch(`${fake.origin}/launches`)).json()) as FakeTropoLaunch[];
      },
    });
    const io = memoryIO();
    const args = [
      ...['--start-url', `${await refusedBaseUrl()}/start`, '--port', '0', '--quiet'],
      ...['--outcome', `${numbers[0]}=answer`, '--outcome', `${numbers[1]}=busy`],
      ...['--outcomes', 'busy=30%,no-answer=30%', '--input', '1'],
    ];
    await expect(command(args, io)).resolves.toBe(0);
    const expected = numbers.map((n, i) =>
      i === 0 ? 'answer' : i === 1 ? 'busy' : (outcomeFor(n, { shares }) ?? 'answer'),
    );
    expect(served.map((l) => l.parameters.numberToDial)).toEqual(numbers);
    expect(served.map((l) => l.callOutcome)).toEqual(expected);
    expect(JSON.stringify(served) + io.out() + io.err()).not.toContain('fake-outcome-token');
  });
});
