/** Validation of response documents: every problem with its path, and the normalised document when it is valid. */
import type * as z from 'zod';
import { unknownKeyMessage, type Channel } from './fields';
import { describeValue, formatPath, mapZodIssues, type Issue, type Segment } from './issues';
import { hasOwn, isObject, withoutPaths } from './json';
import { checkDocumentRules, type Origin } from './rules';
import { VERB_NAMES, verbBodySchemaByName, type NormalDocument, type NormalVerb } from './schema';
import type { OnBody } from './verbs/on';

/** What the validator may know about the session the document is for. */
export interface ValidateOptions {
  /** The session's channel; enables the rules that depend on it (voice-only verbs, ask over text…). */
  channel?: Channel | undefined;
}

/** The outcome: `ok` is false iff some issue is an error; `document` is present iff `ok`. */
export interface Validation {
  ok: boolean;
  issues: Issue[];
  document?: NormalDocument;
  /**
   * The paths of the unknown keys left out of `document` (each also has a warning in `issues`), so
   * a caller can say what it did not send.
   */
  dropped: string[];
}

/** Past this many errors the validator stops looking, and it lists no more than this many problems. */
export const MAX_ISSUES = 1000;

const PARSE_OPTIONS = { reportInput: true } as const;

/** Builder artefacts that some libraries emit as elements although they are fields (spec §3). */
const NOT_VERBS = new Map([
  ['choices', 'a field of ask (and of record and transfer, for the terminator)'],
  ['joinPrompt', 'a field of conference'],
  ['leavePrompt', 'a field of conference'],
  ['machineDetection', 'a field of call and transfer'],
  ['headers', 'SIP headers go in the headers field of call, transfer or answer'],
  ['sipHeaders', 'SIP headers go in the headers field of call, transfer or answer'],
]);

function unknownVerbMessage(key: string): string {
  const field = NOT_VERBS.get(key);
  if (field !== undefined) return `"${key}" is not a verb: ${field}`;
  const sameLetters = VERB_NAMES.find((name) => name.toLowerCase() === key.toLowerCase());
  if (sameLetters !== undefined) {
    return `unknown verb "${key}": verb names are case-sensitive (did you mean "${sameLetters}"?)`;
  }
  return `unknown verb "${key}"; the verbs are ${VERB_NAMES.join(', ')}`;
}

function error(path: readonly Segment[], message: string): Issue {
  return { path: formatPath(path), message, severity: 'error' };
}

/**
 * Reads one verb body. Unknown keys are reported as warnings and the body is then read again
 * without them, so that they never make a document invalid. Returns undefined on errors.
 */
function readBody(
  schema: z.ZodType,
  body: unknown,
  at: readonly Segment[],
  issues: Issue[],
  dropped: string[],
): { value: unknown } | undefined {
  // Most bodies are valid; reading them without `reportInput` is about twice as fast, and the
  // slower read that keeps inputs for the messages only runs for bodies with problems.
  const quick = schema.safeParse(body);
  if (quick.success) return { value: quick.data };
  const first = schema.safeParse(body, PARSE_OPTIONS);
  if (first.success) return { value: first.data };

  const unknownKeys: Segment[][] = [];
  const before = issues.length;
  const inRedirect = at[at.length - 1] === 'redirect';
  const paths: string[] = [];
  mapZodIssues(first.error.issues, at, issues, (path, key) => {
    unknownKeys.push([...path, key]);
    const where = formatPath([...at, ...path, key]);
    paths.push(where);
    issues.push({
      path: where,
      message: unknownKeyMessage(key, inRedirect && path.length === 0),
      severity: 'warning',
    });
  });
  for (let i = before; i < issues.length; i++)
    if (issues[i]?.severity === 'error') return undefined;

  const second = schema.safeParse(withoutPaths(body, unknownKeys), PARSE_OPTIONS);
  if (second.success) {
    dropped.push(...paths);
    return { value: second.data };
  }
  // Removing keys cannot create new problems; should it ever, they are still reported as errors.
  mapZodIssues(second.error.issues, at, issues, (path, key) => {
    issues.push(error([...at, ...path, key], unknownKeyMessage(key)));
  });
  return undefined;
}

/** Reads one element of the `tropo` array into zero or more normal verbs (an `on` list gives several). */
function readElement(
  element: unknown,
  index: number,
  issues: Issue[],
  verbs: NormalVerb[],
  origins: Origin[],
  dropped: string[],
): void {
  const at: Segment[] = ['tropo', index];
  if (!isObject(element)) {
    issues.push(
      error(
        at,
        `expected a verb, an object with one verb key like {"say":…}; got ${describeValue(element)}`,
      ),
    );
    return;
  }
  const keys = Object.keys(element);
  if (keys.length === 0) {
    issues.push(error(at, 'empty object: expected one verb key such as "say" or "ask"'));
    return;
  }
  if (keys.length > 1) {
    issues.push(
      error(
        at,
        `holds ${keys.length} keys (${keys.join(', ')}): each element holds exactly one verb, so put each in its own element`,
      ),
    );
  }
  for (const key of keys) {
    const schema = verbBodySchemaByName.get(key);
    if (schema === undefined) {
      issues.push(error([...at, key], unknownVerbMessage(key)));
      continue;
    }
    const raw = element[key];
    const body = readBody(schema, raw, [...at, key], issues, dropped);
    if (body === undefined) continue;
    if (key === 'on') {
      (body.value as OnBody[]).forEach((handler, j) => {
        verbs.push({ on: handler });
        origins.push(
          Array.isArray(raw)
            ? { path: [...at, 'on', j], raw: raw[j] }
            : { path: [...at, 'on'], raw },
        );
      });
    } else {
      // The key comes from the verb table and the value from that verb's schema.
      verbs.push({ [key]: body.value } as NormalVerb);
      origins.push({ path: [...at, key], raw });
    }
  }
}

/**
 * Checks a response document against the WebAPI: returns every problem (errors make it invalid,
 * warnings never do) and, when valid, the normalised document. Never throws.
 */
export function validateDocument(input: unknown, options: ValidateOptions = {}): Validation {
  const issues: Issue[] = [];
  const dropped: string[] = [];
  if (!isObject(input)) {
    issues.push(
      error(
        [],
        `expected a Tropo document, an object like {"tropo":[…]}; got ${describeValue(input)}`,
      ),
    );
    return { ok: false, issues, dropped };
  }
  for (const key of Object.keys(input)) {
    if (key !== 'tropo') {
      dropped.push(formatPath([key]));
      issues.push({
        path: formatPath([key]),
        message: `unknown key "${key}" next to "tropo" is ignored`,
        severity: 'warning',
      });
    }
  }
  if (!hasOwn(input, 'tropo')) {
    issues.push(error(['tropo'], 'missing required field "tropo" (the list of verbs)'));
    return { ok: false, issues, dropped };
  }
  const elements = input.tropo;
  if (!Array.isArray(elements)) {
    issues.push(error(['tropo'], `expected an array of verbs; got ${describeValue(elements)}`));
    return { ok: false, issues, dropped };
  }

  const verbs: NormalVerb[] = [];
  const origins: Origin[] = [];
  let errors = 0;
  for (let i = 0; i < elements.length && errors <= MAX_ISSUES; i++) {
    const before = issues.length;
    readElement(elements[i], i, issues, verbs, origins, dropped);
    for (let k = before; k < issues.length; k++) if (issues[k]?.severity === 'error') errors++;
  }
  if (errors > 0) return { ok: false, issues: capped(issues), dropped };

  // The document rules read the normal form, so they only run once the document is valid.
  const document: NormalDocument = { tropo: verbs };
  issues.push(...checkDocumentRules(document, origins, options));
  return { ok: true, issues: capped(inDocumentOrder(issues)), document, dropped };
}

const ELEMENT_INDEX = /^tropo\[(\d+)\]/;

/** Sorts problems by the element they concern (stable, so each element keeps its own order). */
function inDocumentOrder(issues: Issue[]): Issue[] {
  const index = (issue: Issue) => Number(ELEMENT_INDEX.exec(issue.path)?.[1] ?? -1);
  return issues
    .map((issue, order) => ({ issue, order, at: index(issue) }))
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .map(({ issue }) => issue);
}

/** Keeps the first MAX_ISSUES problems and says how many more there were. */
function capped(issues: Issue[]): Issue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  const kept = issues.slice(0, MAX_ISSUES);
  const anyError = issues.some((issue) => issue.severity === 'error');
  kept.push({
    path: 'tropo',
    message: `too many problems: only the first ${MAX_ISSUES} are listed`,
    severity: anyError ? 'error' : 'warning',
  });
  return kept;
}
