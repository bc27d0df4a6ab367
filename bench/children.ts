/** Starts and stops target child processes, and sends single HTTP requests to them (preflight, cold-start polling). */
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { isChildMessage, type MemoryMessage, type MemoryRequest } from './protocol';
import type { ScenarioRequest } from './scenarios';
import type { TargetInfo, TargetName } from './target';

const CHILD_ENTRY = join(__dirname, 'child.ts');
/**
 * Only tsx's CommonJS hook: the project is CommonJS, and the ESM hook's loader thread costs ~0.1 s
 * of start-up. --expose-gc lets a child report its memory after a collection too; it changes
 * nothing else.
 */
const CHILD_EXEC_ARGV = ['--require', require.resolve('tsx/cjs'), '--expose-gc'];
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** A target's child process whose server is listening. */
export interface RunningTarget {
  name: TargetName;
  port: number;
  info: TargetInfo;
  /** `performance.now()` just before the process was spawned. */
  spawnedAt: number;
  /** Asks the child for its memory use. */
  memory(): Promise<MemoryMessage>;
  /** Ends the child (IPC disconnect, then SIGKILL to this pid if it lingers). */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.connected) child.disconnect();
  if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
    child.kill('SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
  }
}

function askMemory(child: ChildProcess): Promise<MemoryMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('no memory report within 5 s'));
    }, 5_000);
    function onMessage(message: unknown): void {
      if (isChildMessage(message) && message.type === 'memory') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      }
    }
    child.on('message', onMessage);
    const request: MemoryRequest = { type: 'memory' };
    child.send(request);
  });
}

/** Spawns a target's child process and resolves once its server listens and it has said so. */
export function spawnTarget(name: TargetName): Promise<RunningTarget> {
  const spawnedAt = performance.now();
  const child = fork(CHILD_ENTRY, [name], {
    execArgv: CHILD_EXEC_ARGV,
    // stdout is dropped so a logging server cannot flood the report; errors still show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      void stopChild(child).then(() => reject(new Error(`target ${name}: ${reason}`)));
    };
    const timer = setTimeout(
      () => fail(`not ready within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    function onExit(code: number | null): void {
      fail(`exited before listening (code ${String(code)})`);
    }
    function onMessage(message: unknown): void {
      if (!isChildMessage(message)) return;
      if (message.type === 'failed') {
        fail(message.message);
      } else if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve({
          name,
          port: message.port,
          info: message.info,
          spawnedAt,
          memory: () => askMemory(child),
          stop: () => stopChild(child),
        });
      }
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The answer to one request. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends one request on a fresh connection to 127.0.0.1:port. */
export function send(port: number, req: ScenarioRequest, timeoutMs = 5_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(timeoutMs, () =>
      outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Why an answer is not what the scenario expects, or undefined when it is. */
export function answerProblem(req: ScenarioRequest, answer: HttpAnswer): string | undefined {
  if (answer.status !== req.expectStatus) {
    return `status ${answer.status}, expected ${req.expectStatus}: ${answer.body.slice(0, 200)}`;
  }
  if (!/^application\/json\b/i.test(answer.contentType)) {
    return `content-type "${answer.contentType}", expected application/json`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `body is not JSON: ${answer.body.slice(0, 200)}`;
  }
  // The contract: documents are {"tropo":[…]}, errors are {"error":{…}}.
  const key = answer.status < 300 ? 'tropo' : 'error';
  const value = (parsed as Record<string, unknown> | null)?.[key];
  const ok = key === 'tropo' ? Array.isArray(value) : typeof value === 'object' && value !== null;
  return ok ? undefined : `body has no "${key}": ${answer.body.slice(0, 200)}`;
}
