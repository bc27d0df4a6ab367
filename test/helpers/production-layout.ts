/**
 * Replays the Dockerfile without Docker: the build stage in one temporary folder, the runtime stage
 * (pruned install + compiled output) in another, so a test can start the image's CMD there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  copyOf,
  envOf,
  execForm,
  healthcheckCommand,
  last,
  readDockerfile,
  type Stage,
} from './dockerfile';

const ROOT = path.join(__dirname, '..', '..');
/** The image's WORKDIR, which the temporary folders stand in for. */
const WORKDIR = '/app';

/** The runtime stage laid out on disk, with what the image would run. */
export interface ProductionLayout {
  /** Stands in for the runtime image's /app. */
  dir: string;
  cmd: string[];
  healthcheck: string[];
  /** The runtime stage's ENV. */
  env: Record<string, string>;
  remove: () => void;
}

function copyInto(sources: string[], fromDir: string, dest: string, toDir: string): void {
  const target = path.join(toDir, dest);
  for (const source of sources) {
    const from = path.isAbsolute(source)
      ? path.join(fromDir, path.relative(WORKDIR, source))
      : path.join(fromDir, source);
    if (fs.statSync(from).isDirectory()) {
      fs.cpSync(from, target, { recursive: true });
    } else {
      const file = dest.endsWith('/') ? path.join(target, path.basename(from)) : target;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(from, file);
    }
  }
}

function sh(command: string, cwd: string, env: Record<string, string>): void {
  try {
    execFileSync('sh', ['-c', command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: 'pipe',
      timeout: 240_000,
    });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${command} failed: ${e.message}\n${String(e.stdout)}\n${String(e.stderr)}`);
  }
}

/**
 * Runs one stage's steps in `dir`. `npm ci` is the one step not replayed as written: the full
 * install (build stage) is the checkout's own node_modules, already made by `npm ci`; the pruned
 * one (runtime stage) runs with --prefer-offline (the cache is warm), and `npm cache clean` is skipped
 * because here it would empty the developer's cache, not the image's.
 */
function replay(stage: Stage, dir: string, builtIn: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions) {
    switch (instruction.keyword) {
      case 'WORKDIR':
        if (instruction.args !== WORKDIR) throw new Error(`WORKDIR is not ${WORKDIR}`);
        break;
      case 'ENV':
        Object.assign(env, envOf({ ...stage, instructions: [instruction] }));
        break;
      case 'COPY': {
        const copy = copyOf(instruction);
        const fromDir = copy.from === undefined ? ROOT : builtIn[copy.from];
        if (fromDir === undefined) throw new Error(`COPY --from=${copy.from}: no such stage`);
        copyInto(copy.sources, fromDir, copy.dest, dir);
        break;
      }
      case 'RUN':
        for (const step of instruction.args.split('&&').map((s) => s.trim())) {
          if (/^npm ci\b/.test(step) && !/--omit=dev/.test(step)) {
            fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
          } else if (/^npm ci\b/.test(step)) {
            sh(`${step} --prefer-offline`, dir, env);
          } else if (/^npm cache clean\b/.test(step)) {
            continue;
          } else if (step === 'npm run build') {
            sh(step, dir, env);
          } else {
            throw new Error(`the replay does not know the step "${step}": teach it`);
          }
        }
        break;
      case 'USER':
      case 'EXPOSE':
      case 'HEALTHCHECK':
      case 'CMD':
        break;
      default:
        throw new Error(`the replay does not know ${instruction.keyword}: teach it`);
    }
  }
}

/** Builds the Dockerfile's runtime layout in a temporary folder. */
export function buildProductionLayout(): ProductionLayout {
  const { stages } = readDockerfile();
  const runtime = stages.at(-1);
  if (!runtime) throw new Error('the Dockerfile has no stage');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tropo-production-'));
  const remove = () => fs.rmSync(root, { recursive: true, force: true });
  try {
    const built: Record<string, string> = {};
    stages.forEach((stage, i) => {
      const dir = path.join(root, stage.name ?? `stage-${i}`);
      replay(stage, dir, built);
      if (stage.name !== undefined) built[stage.name] = dir;
    });
    return {
      dir: path.join(root, runtime.name ?? `stage-${stages.length - 1}`),
      cmd: execForm(last(runtime, 'CMD').args),
      healthcheck: healthcheckCommand(runtime),
      env: envOf(runtime),
      remove,
    };
  } catch (err) {
    remove();
    throw err;
  }
}
