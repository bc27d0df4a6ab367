/** Problems found in WebAPI payloads: the `Issue` type, readable paths, and the mapping from zod's issues to ours. */
import type * as z from 'zod';

/** How bad a problem is: errors make a payload invalid, warnings never do. */
export type Severity = 'error' | 'warning';

/** One problem, where it is (e.g. `tropo[2].ask.choices.value`) and what a person should know about it. */
export interface Issue {
  path: string;
  message: string;
  severity: Severity;
}

/** One step of a path: an object key or an array index. */
export type Segment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats path segments as `tropo[0].say[1].value`; keys that are not identifiers use `["key"]`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Describes a value briefly for a message ("the number 5", "an object"), never walking into it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Keys whose values are credentials (recording uploads, tokens): messages name their kind, never their value. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'sessionToken', 'token', 'secret']);

/** Describes a value by its kind only ("a number", "an object"), for fields that hold credentials. */
function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  null: 'null',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

function expectedName(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

function lastKey(path: readonly PropertyKey[]): string | undefined {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : undefined;
}

/** True when a union branch failed because the value had the wrong type altogether. */
function rejectedAtRoot(branch: readonly z.core.$ZodIssue[]): boolean {
  return branch.some((issue) => {
    if (issue.path.length !== 0) return false;
    if (issue.code === 'invalid_type' || issue.code === 'invalid_value') return true;
    return issue.code === 'invalid_union' && issue.errors.every(rejectedAtRoot);
  });
}

/** Lists what a union accepts, from what each of its branches rejected at the root. */
function unionExpectations(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  names: string[],
): void {
  for (const branch of branches) {
    for (const issue of branch) {
      if (issue.path.length !== 0) continue;
      if (issue.code === 'invalid_type') names.push(expectedName(issue.expected));
      else if (issue.code === 'invalid_value')
        names.push(...issue.values.map((v) => JSON.stringify(v)));
      else if (issue.code === 'invalid_union') unionExpectations(issue.errors, names);
    }
  }
}

function unionExpectation(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const names: string[] = [];
  unionExpectations(branches, names);
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? 'another value';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function rangeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  describe: (value: unknown) => string,
): string {
  const small = issue.code === 'too_small';
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && Number(bound) === 1) return 'must not be empty';
      return `must be ${small ? 'at least' : 'at most'} ${String(bound)} characters long`;
    case 'array':
      return `must have ${small ? 'at least' : 'at most'} ${String(bound)} item${Number(bound) === 1 ? '' : 's'}`;
    default: {
      const words = small
        ? inclusive
          ? bound === 0
            ? 'must not be negative'
            : `must be at least ${String(bound)}`
          : `must be greater than ${String(bound)}`
        : inclusive
          ? `must be at most ${String(bound)}`
          : `must be less than ${String(bound)}`;
      return `${words}; got ${describe(issue.input)}`;
    }
  }
}

/** What the mapper does with an unknown key; the caller decides the message and severity. */
export type UnknownKeyHandler = (path: readonly Segment[], key: string) => void;

/** Error messages for the zod issues we produce, phrased for people who write Tropo apps. */
function messageFor(
  issue: z.core.$ZodIssue,
  describe: (value: unknown) => string = describeValue,
): string {
  switch (issue.code) {
    case 'invalid_type': {
      const key = lastKey(issue.path);
      if (issue.input === undefined && key !== undefined) return `missing required field "${key}"`;
      if (issue.expected === 'int' && typeof issue.input === 'number')
        return `must be a whole number; got ${describe(issue.input)}`;
      return `expected ${expectedName(issue.expected)}; got ${describe(issue.input)}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return rangeMessage(issue, describe);
    case 'invalid_format':
      return `${issue.message}; got ${describe(issue.input)}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into ours under `base`: unknown keys go to `onUnknownKey`, union failures are
 * explained by the branch whose type matched (or by listing what was acceptable), everything else
 * becomes an error pushed to `out`. Paths handed to `onUnknownKey` are relative to the parsed value.
 */
export function mapZodIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly Segment[],
  out: Issue[],
  onUnknownKey: UnknownKeyHandler,
  relative: readonly Segment[] = [],
): void {
  for (const issue of issues) {
    const here = [...relative, ...(issue.path as Segment[])];
    // A misplaced password is still a password: it must not be quoted into logs or CLI output.
    const last = lastKey(here);
    const describe = last !== undefined && SECRET_KEYS.has(last) ? describeKind : describeValue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) onUnknownKey(here, key);
    } else if (issue.code === 'invalid_union') {
      const matched = issue.errors.filter((branch) => !rejectedAtRoot(branch));
      const key = lastKey(here);
      if (issue.input === undefined && key !== undefined) {
        out.push({
          path: formatPath([...base, ...here]),
          message: `missing required field "${key}"`,
          severity: 'error',
        });
      } else if (matched.length > 0) {
        const best = matched.reduce((a, b) => (b.length < a.length ? b : a));
        mapZodIssues(best, base, out, onUnknownKey, here);
      } else {
        out.push({
          path: formatPath([...base, ...here]),
          message: `expected ${unionExpectation(issue.errors)}; got ${describe(issue.input)}`,
          severity: 'error',
        });
      }
    } else {
      out.push({
        path: formatPath([...base, ...here]),
        message: messageFor(issue, describe),
        severity: 'error',
      });
    }
  }
}

/** The outcome of reading an inbound payload; the issues that come with a value are warnings. */
export type Parsed<T> = { ok: true; value: T; issues: Issue[] } | { ok: false; issues: Issue[] };
