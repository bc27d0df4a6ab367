/**
 * The world campaign end-to-end tests and the campaign benchmark run in: a private redis-server
 * (AOF, so it can be restarted), a fake Tropo whose numbers are busy or silent by a stable hash,
 * and real server processes (`src/runtime/main.ts` through tsx, as `npm start`), any of which can
 * be SIGKILLed and started again. Only on 127.0.0.1.
 */
import { join } from 'node:path';
import {
  parseScriptArgs,
  startFakeTropo,
  type CallOutcomeRules,
  type FakeTropo,
  type FakeTropoLaunch,
} from '../../src/simulator';
import { startRedisServer, type RedisServer } from './redis-server';
import { PLANTED, recordForSecretScan } from './secret-scan';
import { startServerProcess, type ServerProcess } from './server-process';
import { waitFor } from './wait-for';

const root = join(__dirname, '..', '..');

/** A campaign as `GET /api/campaigns/:id` returns it. */
export interface CampaignBody {
  id: string;
  state: string;
  counts: Record<string, number>;
  reminders: ReminderBody[];
}

/** One reminder of `GET /api/campaigns/:id`. */
export interface ReminderBody {
  id: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastSessionId: string | null;
  outcome: string | null;
  updatedAt: string;
}

/** What the world is built from. */
export interface WorldOptions {
  instances: number;
  /** CAMPAIGN_LAUNCH_RATE. */
  rate: number;
  outcomes?: CallOutcomeRules;
  /** What callees who answer press (`--input` values). */
  inputs?: string[];
  /** False: fake-tropo logs launches without playing them (the launcher alone). */
  play?: boolean;
  /** More server environment (CAMPAIGN_* settings). */
  env?: Record<string, string>;
}

/** A running world. */
export interface CampaignWorld {
  redis: RedisServer;
  fake: FakeTropo;
  /** Server processes by slot; a killed slot holds its dead process until `restart`. */
  instances: ServerProcess[];
  /** SIGKILLs the instance in `slot` and waits for it to be gone. */
  kill(slot: number): Promise<void>;
  /** Starts a fresh process in `slot` (after `kill`). */
  restart(slot: number): Promise<void>;
  /** A request to the API of the first live instance (or the one in `slot`), with the Bearer key. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    slot?: number,
  ): Promise<{ status: number; body: unknown; text: string }>;
  /** `GET /api/campaigns/:id` with every reminder (limit 1000). */
  campaign(id: string): Promise<CampaignBody>;
  /** Waits until the campaign is done (or cancelled); returns its last view. */
  done(id: string, timeoutMs: number): Promise<CampaignBody>;
  /** The launches fake-tropo accepted, as `GET /launches` serves them. */
  launches(): Promise<FakeTropoLaunch[]>;
  close(): Promise<void>;
}

/** Settings every instance gets unless `env` says otherwise. */
function serverEnv(world: { redis: RedisServer; fake: FakeTropo }, options: WorldOptions) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    // info: the process helper waits for the "listening on" line.
    LOG_LEVEL: 'info',
    APPS: 'appointment-reminder,sms-relay',
    REDIS_URL: world.redis.url,
    TROPO_API_URL: world.fake.apiUrl,
    TROPO_TOKEN: PLANTED.tropoToken,
    API_KEY: PLANTED.apiKey,
    SHUTDOWN_TIMEOUT_MS: '2000',
    CAMPAIGN_LAUNCH_RATE: String(options.rate),
    CAMPAIGN_RETRY_DELAY_SECONDS: '1',
    CAMPAIGN_OUTCOME_TIMEOUT_SECONDS: '10',
    ...options.env,
  };
}

/** Starts Redis, fake-tropo and the server instances. */
export async function startCampaignWorld(options: WorldOptions): Promise<CampaignWorld> {
  const redis = await startRedisServer({ appendOnly: true });
  const live: ServerProcess[] = [];
  const alive = (p: ServerProcess | undefined) =>
    p !== undefined && p.child.exitCode === null && p.child.signalCode === null;
  // Sessions play against a live instance: a killed one is the dispatcher under test, not Tropo's web server.
  const startUrl = () => `${live.find(alive)?.url ?? 'http://127.0.0.1:9'}/start`;
  const fake = await startFakeTropo({
    startUrl,
    token: PLANTED.tropoToken,
    outcomes: options.outcomes,
    play: options.play,
    script: parseScriptArgs((options.inputs ?? ['1']).flatMap((i) => ['--input', i])).script,
    timeoutMs: 5000,
    maxSessions: 50,
  });
  const env = serverEnv({ redis, fake }, options);
  const spawnOne = async () => {
    const server = await startServerProcess(['node', '--import', 'tsx', 'src/runtime/main.ts'], {
      cwd: root,
      env,
      timeoutMs: 30_000,
    });
    recordForSecretScan('campaign server output', () => server.output());
    return server;
  };
  try {
    for (let i = 0; i < options.instances; i++) live.push(await spawnOne());
  } catch (error) {
    for (const p of live) p.kill();
    await fake.close();
    await redis.dispose();
    throw error;
  }

  const api: CampaignWorld['api'] = async (method, path, body, headers = {}, slot) => {
    const target = slot === undefined ? live.find(alive) : live[slot];
    if (!target) throw new Error('no live server instance');
    const isText = typeof body === 'string';
    const response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${PLANTED.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': isText ? 'text/csv' : 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: isText ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV or an empty body: the text is the answer.
    }
    return { status: response.status, body: parsed, text };
  };
  const campaign = async (id: string): Promise<CampaignBody> => {
    const answer = await api('GET', `/api/campaigns/${id}?offset=0&limit=1000`);
    if (answer.status !== 200)
      throw new Error(`GET campaign ${id}: ${answer.status} ${answer.text}`);
    return answer.body as CampaignBody;
  };

  const world: CampaignWorld = {
    redis,
    fake,
    instances: live,
    kill: async (slot) => {
      const p = live[slot];
      if (!p) throw new Error(`no instance in slot ${slot}`);
      p.child.kill('SIGKILL');
      await p.exited;
    },
    restart: async (slot) => {
      live[slot] = await spawnOne();
    },
    api,
    campaign,
    done: async (id, timeoutMs) => {
      let last: CampaignBody | undefined;
      await waitFor(
        async () => {
          try {
            last = await campaign(id);
          } catch {
            return false; // an instance or Redis coming back: ask again
          }
          return last.state === 'done' || last.state === 'cancelled';
        },
        `campaign ${id} to be done (last counts ${JSON.stringify(last?.counts)})`,
        timeoutMs,
        250,
      );
      return last as CampaignBody;
    },
    launches: async () =>
      (await (await fetch(`${fake.origin}/launches`)).json()) as FakeTropoLaunch[],
    close: async () => {
      for (const p of live) {
        if (alive(p)) p.child.kill('SIGTERM');
      }
      await Promise.all(
        live.map((p) =>
          Promise.race([p.exited, new Promise((resolve) => setTimeout(resolve, 5000))]),
        ),
      );
      for (const p of live) p.kill();
      await fake.close();
      await redis.dispose();
    },
  };
  return world;
}

/** `n` reminders for the appointment reminder, numbers +1407555NNNN, due now. */
export function reminders(n: number, prefix = 'r'): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i + 1).padStart(5, '0')}`,
    at: '2020-01-01T00:00:00Z',
    parameters: {
      numberToDial: `+1407555${String(i).padStart(4, '0')}`,
      msg: 'Your appointment is tomorrow at 10',
      confirm: 'true',
    },
  }));
}

/** The largest number of launches in any one-second window starting at a launch. */
export function busiestSecond(launches: readonly FakeTropoLaunch[], windowMs = 1000): number {
  const times = launches.map((l) => Date.parse(l.at)).sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && (times[end] ?? 0) < (times[start] ?? 0) + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Launches grouped by `campaign:reminder:attempt` as the launch parameters carry them. */
export function attemptsLaunched(launches: readonly FakeTropoLaunch[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of launches) {
    const key = `${l.parameters.campaign}:${l.parameters.reminder}:${l.parameters.attempt}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}
