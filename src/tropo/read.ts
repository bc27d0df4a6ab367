/** Lenient readers for inbound payloads: a field of the wrong type is dropped with a warning instead of failing the payload. */
import * as z from 'zod';
import { describeValue, formatPath, mapZodIssues, type Issue, type Segment } from './issues';
import { hasOwn, isObject, setOwn, type JsonObject } from './json';

const PARSE_OPTIONS = { reportInput: true } as const;

/**
 * Schemas that read some values as those very values, with the test for such a value: a field
 * that passes it is taken as it is, without running zod (a session has some twenty fields, nearly
 * all plain strings). test/unit/tropo/read-fast-path.test.ts checks each test against its schema.
 */
const UNCHANGED = new Map<z.ZodType, (value: unknown) => boolean>();

function readsUnchanged<S extends z.ZodType>(schema: S, test: (value: unknown) => boolean): S {
  UNCHANGED.set(schema, test);
  return schema;
}

/** True when `schema` would read `value` as `value` itself, known without running it. */
export function readsAsItself(schema: z.ZodType, value: unknown): boolean {
  return UNCHANGED.get(schema)?.(value) === true;
}

const isString = (value: unknown): boolean => typeof value === 'string';
const isFiniteNumber = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value);

/** A string, or a number that stands for one (ids and numbers Tropo may send unquoted). */
export const stringLike = readsUnchanged(
  z.union([z.string(), z.number()]).transform((v) => String(v)),
  isString,
);
/** A number, or a string holding one. */
export const numberLike = readsUnchanged(
  z.union([
    z.number(),
    z
      .string()
      .regex(/^\s*-?\d+(\.\d+)?\s*$/, { error: 'expected a number' })
      .transform((v) => Number(v)),
  ]),
  isFiniteNumber,
);
/** `stringLike` or null. */
export const nullableStringLike = readsUnchanged(
  stringLike.nullable(),
  (value) => value === null || isString(value),
);
/** `numberLike` or null. */
export const nullableNumberLike = readsUnchanged(
  numberLike.nullable(),
  (value) => value === null || isFiniteNumber(value),
);
/** A string only. */
export const plainString = readsUnchanged(z.string(), isString);
/** A boolean only. */
export const plainBoolean = readsUnchanged(z.boolean(), (value) => typeof value === 'boolean');

/** The schemas with a fast path, for the test that checks them. */
export const FAST_PATH_SCHEMAS = {
  stringLike,
  numberLike,
  nullableStringLike,
  nullableNumberLike,
  plainString,
  plainBoolean,
} as const;

/** Warnings listed for one payload; past this they are counted in one last warning, not listed. */
export const MAX_PAYLOAD_WARNINGS = 20;

/** Collects the warnings and errors of one payload, with paths relative to its root. */
export class PayloadReader {
  readonly issues: Issue[] = [];
  private warnings = 0;

  /** True once MAX_PAYLOAD_WARNINGS are listed: the costly detail of further ones is skipped. */
  private get full(): boolean {
    return this.warnings >= MAX_PAYLOAD_WARNINGS;
  }

  /** Records a warning at `path` (past the limit, only counts it). */
  warn(path: readonly Segment[], message: string): void {
    this.pushWarning({ path: formatPath(path), message, severity: 'warning' });
  }

  private pushWarning(issue: Issue): void {
    this.warnings += 1;
    if (this.warnings < MAX_PAYLOAD_WARNINGS) {
      this.issues.push(issue);
    } else if (this.warnings === MAX_PAYLOAD_WARNINGS) {
      this.issues.push({
        path: issue.path,
        message: `${issue.message}; further warnings of this payload are not listed`,
        severity: 'warning',
      });
    }
  }

  /** Records an error at `path`. */
  error(path: readonly Segment[], message: string): void {
    this.issues.push({ path: formatPath(path), message, severity: 'error' });
  }

  /** True when any error was recorded. */
  get failed(): boolean {
    return this.issues.some((issue) => issue.severity === 'error');
  }

  /**
   * Reads `object[key]` with `schema`. Absent or null (when `schema` does not take null) gives
   * undefined silently; a value the schema rejects gives undefined and a warning.
   */
  field<T>(
    object: JsonObject,
    key: string,
    schema: z.ZodType<T>,
    at: readonly Segment[],
  ): T | undefined {
    if (!hasOwn(object, key)) return undefined;
    const value = object[key];
    // Past the warning limit nothing is read (see `value`); before it, a plain field skips zod.
    if (!this.full && readsAsItself(schema, value)) return value as T;
    return this.value(value, schema, [...at, key]);
  }

  /** Reads one value at `path` the way `field` does. */
  value<T>(value: unknown, schema: z.ZodType<T>, path: readonly Segment[]): T | undefined {
    if (value === undefined) return undefined;
    // The read that keeps inputs for messages is slower, so it only runs once a value has failed.
    // Past the warning limit the payload is not one Tropo sent: the rest of it is not read, so a
    // body packed with invalid items costs no more than its first MAX_PAYLOAD_WARNINGS.
    if (this.full) {
      this.warnings += 1;
      return undefined;
    }
    if (readsAsItself(schema, value)) return value as T;
    const quick = schema.safeParse(value);
    if (quick.success) return quick.data;
    const parsed = schema.safeParse(value, PARSE_OPTIONS);
    if (parsed.success) return parsed.data;
    if (value === null) return undefined;
    const found: Issue[] = [];
    mapZodIssues(parsed.error.issues, path, found, () => undefined);
    for (const issue of found) {
      this.pushWarning({ ...issue, message: `${issue.message} (ignored)`, severity: 'warning' });
    }
    return undefined;
  }

  /**
   * Reads an object of string values (headers, parameters): strings are kept, numbers and
   * booleans become strings, other values are dropped with a warning. `__proto__` stays a key.
   */
  stringMap(value: unknown, at: readonly Segment[], stringify: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    if (!isObject(value)) {
      if (value !== undefined && value !== null) {
        this.warn(at, `expected an object; got ${describeValue(value)} (ignored)`);
      }
      return out;
    }
    for (const key of Object.keys(value)) {
      const text = toText(value[key], stringify);
      if (text === undefined) {
        this.warn([...at, key], `expected a string; got ${describeValue(value[key])} (ignored)`);
      } else {
        setOwn(out, key, text);
      }
    }
    return out;
  }
}

/**
 * Turns a JSON value into text: strings as they are, numbers and booleans as written; with
 * `stringify`, also null, arrays and objects as JSON (undefined if too deep to write).
 */
export function toText(value: unknown, stringify: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!stringify) return undefined;
  try {
    return JSON.stringify(value) ?? undefined;
  } catch {
    // Nesting too deep for JSON.stringify's stack: drop the value rather than fail the session.
    return undefined;
  }
}

/**
 * What a Tropo session id looks like: 1–128 characters of letters, digits, `.`, `_`, `-` and `@`
 * (Tropo's Java fixtures carry ids such as `CCFD9C86-1DD1-11B2-B76D-B9B253E4B7FB@161.253.55.20`).
 */
export const SESSION_ID = /^[A-Za-z0-9._@-]{1,128}$/;

/**
 * Why `value` cannot be a session id, or `undefined` when it can. Ids key the state store, so one
 * outside what Tropo sends (a megabyte of text, a path, a control character) is refused outright.
 */
export function sessionIdProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    return `expected a non-empty string; got ${describeValue(value)}`;
  if (value.length > 128) return `expected at most 128 characters; got ${value.length}`;
  if (!SESSION_ID.test(value)) return 'expected only letters, digits, ".", "_", "-" and "@"';
  return undefined;
}
