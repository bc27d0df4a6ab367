/** Reads the project's Dockerfile into stages and instructions, so tests check and replay what it says. */
import fs from 'node:fs';
import path from 'node:path';

/** One instruction: its keyword upper-cased, its arguments with continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

/** A build stage: its base image, its name (`AS name`) and its instructions after FROM. */
export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export const DOCKERFILE = path.join(__dirname, '..', '..', 'Dockerfile');

/** The instructions of a Dockerfile's text: comments dropped, `\` continuations joined. */
export function instructionsOf(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    // Comment lines are dropped, also inside a continued instruction (as Docker does).
    if (/^\s*#/.test(line) || (line.trim() === '' && pending === undefined)) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1) : line;
    if (pending) pending.parts.push(part.trim());
    else pending = { parts: [part.trim()], line: index + 1 };
    if (continued) return;
    const joined = pending.parts.filter(Boolean).join(' ');
    const space = joined.search(/\s/);
    out.push({
      keyword: (space === -1 ? joined : joined.slice(0, space)).toUpperCase(),
      args: space === -1 ? '' : joined.slice(space + 1).trim(),
      line: pending.line,
    });
    pending = undefined;
  });
  return out;
}

/** The stages of a Dockerfile's text, in order. */
export function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructionsOf(text)) {
    if (instruction.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m?.[1])
        throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ from: m[1], name: m[2], instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The project's Dockerfile, read now. */
export function readDockerfile(): { text: string; stages: Stage[] } {
  const text = fs.readFileSync(DOCKERFILE, 'utf8');
  return { text, stages: stagesOf(text) };
}

/** The stage's instructions with that keyword. */
export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The single instruction with that keyword (the last wins, as in Docker); throws when absent. */
export function last(stage: Stage, keyword: string): Instruction {
  const found = all(stage, keyword).at(-1);
  if (!found) throw new Error(`the stage has no ${keyword}`);
  return found;
}

/** An exec-form argument list (`["node", "x.js"]`); throws for the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return parsed;
}

/** The `KEY=value` pairs of the stage's ENV instructions. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of all(stage, 'ENV')) {
    for (const m of args.matchAll(/(\w+)=(\S*)/g)) env[m[1] ?? ''] = m[2] ?? '';
  }
  return env;
}

/** The options (`--from=build`) and paths of a COPY instruction: sources, then the destination. */
export function copyOf(instruction: Instruction): {
  from: string | undefined;
  sources: string[];
  dest: string;
} {
  const words = instruction.args.split(/\s+/);
  const options = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const dest = paths.pop();
  if (dest === undefined || paths.length === 0) {
    throw new Error(`line ${instruction.line}: cannot read COPY ${instruction.args}`);
  }
  const from = options.find((o) => o.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths, dest };
}

/** The HEALTHCHECK's command, exec form (the options before CMD dropped). */
export function healthcheckCommand(stage: Stage): string[] {
  const m = /\bCMD\s+(\[.*\])$/.exec(last(stage, 'HEALTHCHECK').args);
  if (!m?.[1]) throw new Error('HEALTHCHECK has no exec-form CMD');
  return execForm(m[1]);
}
