/** `tropo-app simulate`: plays one Tropo session against an app (a running server, or one started in process) and prints the transcript (DESIGN §5). */
import { parseArgs } from 'node:util';
import {
  appStartUrl,
  isScriptError,
  isSessionSpecError,
  parseScriptArgs,
  renderTranscript,
  simulate,
  startLocalServer,
  type CallerScript,
  type LocalServer,
  type LocalServerOptions,
  type PostJson,
  type ScheduledSignal,
  type SessionSpec,
  type Transcript,
  verdictOf,
} from '../simulator';
import type { Command, CommandIO } from './types';

const USAGE = `usage: tropo-app simulate (--url URL | --app NAME) [options]

Plays one Tropo session against an app and prints what happened.

  --url URL              a running server's start URL, e.g. http://127.0.0.1:3000/start
  --app NAME             start the server in this process (configured by the environment) and
                         play against that app

The session (default: an inbound voice call):
  --param name=value     a Session API launch with these parameters (repeat the flag)
  --text "message"       an inbound text whose first message this is
  --from ADDRESS         who calls or texts (default +14155550100)
  --to ADDRESS           the number called or texted (default +14155550199)
  --token TOKEN          the launch's token (default: a made-up one; it is never printed)
  --campaign             with --app and --param: the launch carries a campaign reference, as a
                         campaign's dispatcher adds, so each ctx.outcome the app reports shows
                         ("The app reports outcome: confirmed") and is in --json's "reported"

What the people on the line do:
  --input X              the answer to the next ask, in order (repeat the flag): digits are key
                         presses, words are speech or text; also timeout, hangup, nomatch
  --call-outcome answer|busy|no-answer      how outbound calls end up (default answer)
  --transfer-outcome answer|busy|no-answer  how transfers end up (default answer)
  --transfer-duration S, --conference-duration S, --record-duration S
  --record-outcome recorded|timeout|hangup|upload-failed
  --user-type HUMAN|MACHINE|NIL|FAX         what machine detection reports
  --signal NAME@SECONDS  a signal reaching the session at that second (repeat the flag)

Output and limits:
  --json                 print the transcript as JSON
  --verbose              show every request and response body (redacted)
  --raw                  show each answer exactly as the app sent it (also in --verbose, --json)
  --strict               warnings fail the session too
  --color, --no-color    force colours on or off (default: on for a terminal, unless NO_COLOR)
  --timeout-ms N         how long to wait for each answer of the app (default 10000)
  --max-documents N      stop a session after this many documents (default 50)
  --allow-host HOST      also POST to HOST (name or name:port) when the app's next URLs point
                         there; by default only the app's own origin is POSTed to (repeat the flag)

With --app, the server's log lines at warn and above appear in the transcript where they happened.

Exit status: 0 the session ended normally; 1 the app failed (the server's fallback document or a
logged error, no answer in time, non-2xx, not JSON, invalid document), a limit stopped the
session, or (--strict) there were warnings; a FAILED: line says why; 2 usage error.
`;

const DEFAULT_FROM = '+14155550100';
const DEFAULT_TO = '+14155550199';
const PLACEHOLDER_TOKEN = 'simulated-session-api-token';

/** What the command needs from outside besides its IO; tests inject a poster. */
export interface SimulateCommandDeps {
  post?: PostJson;
  /** What the in-process server of `--app` is built from besides the environment (tests: a registry). */
  localServer?: Omit<LocalServerOptions, 'env'>;
}

class UsageError extends Error {}

function positiveInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`${flag} must be a whole number from 1, got "${raw}"`);
  }
  return Number(raw);
}

/** Reads `NAME@SECONDS` (`exit@12.5`). */
export function parseSignal(raw: string): ScheduledSignal {
  const match = /^([^@\s]+)@(\d+(?:\.\d+)?)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--signal expects NAME@SECONDS (e.g. exit@10), got "${raw}"`);
  return { name: match[1] ?? '', atSeconds: Number(match[2]) };
}

function parseParams(list: readonly string[]): Record<string, string> {
  // No prototype: `--param __proto__=x` is a parameter like any other, not a prototype change.
  const out = Object.create(null) as Record<string, string>;
  list.forEach((item, index) => {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new UsageError(`--param #${index + 1} is not of the form name=value`);
    const name = item.slice(0, equals);
    if (name === 'token') throw new UsageError('give the token with --token, not as a --param');
    out[name] = item.slice(equals + 1);
  });
  return out;
}

interface Parsed {
  url: string | undefined;
  app: string | undefined;
  spec: SessionSpec;
  script: CallerScript;
  signals: ScheduledSignal[];
  json: boolean;
  verbose: boolean;
  raw: boolean;
  strict: boolean;
  color: boolean;
  timeoutMs: number;
  maxDocuments: number;
  allowHosts: string[];
  campaign: boolean;
}

function parse(argv: string[], io: CommandIO): Parsed | 'help' {
  let scripted;
  try {
    scripted = parseScriptArgs(argv);
  } catch (error) {
    if (isScriptError(error)) throw new UsageError(error.message);
    throw error;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: scripted.rest,
      options: {
        url: { type: 'string' },
        app: { type: 'string' },
        param: { type: 'string', multiple: true },
        text: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        token: { type: 'string' },
        campaign: { type: 'boolean' },
        signal: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        raw: { type: 'boolean' },
        strict: { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        'max-documents': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if ((v.url === undefined) === (v.app === undefined)) {
    throw new UsageError('give exactly one of --url URL and --app NAME');
  }
  const params = v.param ?? [];
  if (params.length > 0 && v.text !== undefined) {
    throw new UsageError(
      '--param (a Session API launch) and --text (an inbound text) exclude each other',
    );
  }
  if (v.campaign === true && (v.app === undefined || params.length === 0)) {
    throw new UsageError(
      v.app === undefined
        ? '--campaign needs --app: only the in-process server verifies the launch reference'
        : '--campaign needs a launch: give its Session API parameters with --param',
    );
  }
  let spec: SessionSpec;
  if (params.length > 0 || v.token !== undefined) {
    if (v.from !== undefined || v.to !== undefined) {
      throw new UsageError(
        '--from and --to describe an inbound call or text; a launch dials with its parameters',
      );
    }
    spec = { kind: 'token', token: v.token ?? PLACEHOLDER_TOKEN, parameters: parseParams(params) };
  } else if (v.text !== undefined) {
    spec = { kind: 'text', from: v.from ?? DEFAULT_FROM, to: v.to ?? DEFAULT_TO, text: v.text };
  } else {
    spec = { kind: 'voice', from: v.from ?? DEFAULT_FROM, to: v.to ?? DEFAULT_TO };
  }
  const wantsColor = v.color ?? (io.isTTY && !io.env.NO_COLOR);
  return {
    url: v.url,
    app: v.app,
    spec,
    script: scripted.script,
    signals: (v.signal ?? []).map(parseSignal),
    json: v.json === true,
    verbose: v.verbose === true,
    raw: v.raw === true,
    strict: v.strict === true,
    color: v['no-color'] === true ? false : wantsColor,
    timeoutMs: positiveInteger('--timeout-ms', v['timeout-ms'], 10_000),
    maxDocuments: positiveInteger('--max-documents', v['max-documents'], 50),
    allowHosts: v['allow-host'] ?? [],
    campaign: v.campaign === true,
  };
}

/** Builds the `simulate` command; `simulateCommand` below is the one the CLI runs. */
export function createSimulateCommand(deps: SimulateCommandDeps = {}): Command {
  return async (argv, io) => {
    const usageError = (message: string): number => {
      io.stderr(`tropo-app simulate: ${message}\n\n${USAGE}`);
      return 2;
    };
    let options: Parsed | 'help';
    try {
      options = parse(argv, io);
    } catch (error) {
      if (error instanceof UsageError) return usageError(error.message);
      throw error;
    }
    if (options === 'help') {
      io.stdout(USAGE);
      return 0;
    }

    let server: LocalServer | undefined;
    let startUrl = options.url ?? '';
    if (options.app !== undefined) {
      try {
        server = await startLocalServer({ captureLogs: true, ...deps.localServer, env: io.env });
      } catch (error) {
        io.stderr(
          `tropo-app simulate: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        return 2;
      }
      const url = appStartUrl(server.origin, server.registry, options.app);
      if (url === undefined) {
        const names = server.registry.list().map((a) => a.name);
        await server.close();
        return usageError(`no app named "${options.app}"; the apps are ${names.join(', ')}`);
      }
      startUrl = url;
    } else if (!/^https?:\/\/\S+$/i.test(startUrl) || !URL.canParse(startUrl)) {
      return usageError(`--url must be an http(s) URL, got "${startUrl}"`);
    }

    const campaign = options.campaign ? server?.campaignLaunch() : undefined;
    const spec: SessionSpec =
      campaign && options.spec.kind === 'token'
        ? { ...options.spec, parameters: { ...options.spec.parameters, ...campaign.parameters } }
        : options.spec;
    let transcript: Transcript;
    try {
      transcript = await simulate({
        startUrl,
        session: spec,
        script: options.script,
        signals: options.signals,
        timeoutMs: options.timeoutMs,
        limits: { maxDocuments: options.maxDocuments },
        allowHosts: options.allowHosts,
        post: deps.post,
        appLogs: server?.drainLogs,
        appOutcomes: campaign?.take,
        secrets: campaign ? [campaign.secret] : undefined,
        keepRaw: options.raw,
      });
    } catch (error) {
      if (isSessionSpecError(error)) return usageError(error.message);
      throw error;
    } finally {
      await server?.close();
    }
    io.stdout(
      options.json
        ? `${JSON.stringify(transcript, null, 2)}\n`
        : renderTranscript(transcript, {
            color: options.color,
            verbose: options.verbose,
            raw: options.raw,
            strict: options.strict,
          }),
    );
    const verdict = verdictOf(transcript, { strict: options.strict });
    // JSON output carries the outcome; the reason still goes to stderr so a script's log shows it.
    if (!verdict.ok && options.json) io.stderr(`FAILED: ${verdict.reason}\n`);
    return verdict.ok ? 0 : 1;
  };
}

/** The `simulate` command as the CLI registers it. */
export const simulateCommand: Command = createSimulateCommand();
