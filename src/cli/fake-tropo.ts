/** `tropo-app fake-tropo`: runs a local stand-in for Tropo's Session API that plays every session it starts against a start URL (DESIGN §5). */
import { parseArgs } from 'node:util';
import {
  isScriptError,
  parseOutcomeRule,
  parseOutcomeShares,
  parseScriptArgs,
  printable,
  redactSecrets,
  renderTranscript,
  startFakeTropo,
  type CallOutcomeRules,
  type FakeTropo,
  type LegOutcome,
  type PostJson,
} from '../simulator';
import type { Command, CommandIO } from './types';

const USAGE = `usage: tropo-app fake-tropo --start-url URL [--port P] [--host H] [--token T] [options]

A local stand-in for Tropo. It answers the Session API (GET and POST /1.0/sessions, in XML, JSON
or form encoding by Accept) and plays each session it starts against URL, printing the transcript.
GET /sessions/ID returns a session's transcript as JSON, GET /launches every launch it accepted
(in order, without the token). Point the server at it with TROPO_API_URL=http://127.0.0.1:P/1.0.

  --start-url URL        where sessions are played, e.g. http://127.0.0.1:3000/start
  --port P               port to listen on (default 4000)
  --host H               address to listen on (default 127.0.0.1)
  --token T              accept only this token; others are refused with a <reason>
  --input X, --call-outcome answer|busy|no-answer, …   what the callees do (as for simulate)
  --outcome NUMBER=busy|no-answer|answer   how calls to the launch's numberToDial end
                         (repeatable; wins over --outcomes)
  --outcomes busy=10%,no-answer=10%   shares of numbers that are busy or do not answer, chosen
                         from a hash of numberToDial (the same number meets the same outcome
                         every time); the rest follow --call-outcome and --input
  --timeout-ms N         how long to wait for each answer of the app (default 10000)
  --json                 print each finished transcript as one line of JSON
  --quiet                print only the listening line

Stops on Ctrl-C (SIGINT) or SIGTERM. Exit status: 0 stopped, 1 could not listen, 2 usage error.
`;

/** What the command needs from outside besides its IO; tests replace the wait for a signal. */
export interface FakeTropoCommandDeps {
  /** Resolves when the fake should stop; default: on SIGINT or SIGTERM. */
  untilStopped?: (fake: FakeTropo) => Promise<void>;
  post?: PostJson;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function wholeNumber(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Builds the `fake-tropo` command; `fakeTropoCommand` below is the one the CLI runs. */
export function createFakeTropoCommand(deps: FakeTropoCommandDeps = {}): Command {
  return async (argv: string[], io: CommandIO) => {
    const usageError = (message: string): number => {
      io.stderr(`tropo-app fake-tropo: ${message}\n\n${USAGE}`);
      return 2;
    };
    let script;
    let values;
    let port: number;
    let timeoutMs: number;
    let outcomes: CallOutcomeRules;
    try {
      const scripted = parseScriptArgs(argv);
      script = scripted.script;
      values = parseArgs({
        args: scripted.rest,
        options: {
          'start-url': { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          token: { type: 'string' },
          outcome: { type: 'string', multiple: true },
          outcomes: { type: 'string' },
          'timeout-ms': { type: 'string' },
          json: { type: 'boolean' },
          quiet: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: false,
        strict: true,
      }).values;
      port = wholeNumber('--port', values.port, 4000, 0, 65535);
      timeoutMs = wholeNumber('--timeout-ms', values['timeout-ms'], 10_000, 1, 600_000);
      const byNumber: Record<string, LegOutcome> = {};
      for (const raw of values.outcome ?? []) {
        const [number, outcome] = parseOutcomeRule(raw);
        byNumber[number] = outcome;
      }
      outcomes = {
        byNumber,
        shares: values.outcomes === undefined ? undefined : parseOutcomeShares(values.outcomes),
      };
    } catch (error) {
      // Everything in the try reads arguments, so whatever it throws is a usage error; node's
      // parseArgs errors fail `instanceof Error` when the command runs in another realm (jest).
      if (isScriptError(error)) return usageError(error.message);
      return usageError(error instanceof Error ? error.message : String(error));
    }
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const startUrl = values['start-url'];
    if (startUrl === undefined) return usageError('--start-url is required');
    if (!/^https?:\/\/\S+$/i.test(startUrl) || !URL.canParse(startUrl)) {
      return usageError(`--start-url must be an http(s) URL, got "${redactSecrets(startUrl)}"`);
    }
    const json = values.json === true;
    const quiet = values.quiet === true;
    const color = io.isTTY && !io.env.NO_COLOR;

    let fake: FakeTropo;
    try {
      fake = await startFakeTropo({
        startUrl,
        port,
        host: values.host,
        token: values.token,
        script,
        outcomes,
        timeoutMs,
        post: deps.post,
        log:
          quiet || json
            ? undefined
            : (line) => io.stderr(`fake-tropo: ${printable(redactSecrets(line))}\n`),
        onSessionEnd: quiet
          ? undefined
          : (transcript) =>
              io.stdout(
                json
                  ? `${JSON.stringify(transcript)}\n`
                  : `\n${renderTranscript(transcript, { color })}`,
              ),
      });
    } catch (error) {
      io.stderr(
        `tropo-app fake-tropo: cannot listen: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
    io.stdout(
      `fake Tropo listening on ${fake.origin}: Session API at ${fake.apiUrl}, sessions play against ${redactSecrets(startUrl)}\n`,
    );
    await (deps.untilStopped ?? untilSignal)(fake);
    await fake.close();
    return 0;
  };
}

/** The `fake-tropo` command as the CLI registers it. */
export const fakeTropoCommand: Command = createFakeTropoCommand();
