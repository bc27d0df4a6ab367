/** Lenient readers for inbound payloads: a field of the wrong type is dropped with a warning instead of failing the payload. */
import * as z from 'zod';
import { describeValue, formatPath, mapZodIssues, type Issue, type Segment } from './issues';
import { hasOwn, isObject, setOwn, type JsonObject } from './json';

const PARSE_OPTIONS = { reportInput: true } as const;

/** What a quick read returns when it does not apply and the schema must run. */
export const NOT_QUICK: unique symbol = Symbol('not quick');

/**
 * Schemas with a quick read: for the values Tropo sends (a session has some twenty fields, nearly
 * all plain strings; result actions carry numbers where strings are expected) the result is
 * computed without running zod. test/unit/tropo/read-fast-path.test.ts checks each quick read
 * against its schema.
 */
const QUICK = new Map<z.ZodType, (value: unknown) => unknown>();

function withQuickRead<S extends z.ZodType>(schema: S, read: (value: unknown) => unknown): S {
  QUICK.set(schema, read);
  return schema;
}

/** What `schema` reads `value` as, known without running it; NOT_QUICK when it must run. */
export function quickRead(schema: z.ZodType, value: unknown): unknown {
  const read = QUICK.get(schema);
  return read === undefined ? NOT_QUICK : read(value);
}

const NUMBER_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const readStringLike = (value: unknown): unknown =>
  typeof value === 'string' ? value : isFiniteNumber(value) ? String(value) : NOT_QUICK;
const readNumberLike = (value: unknown): unknown =>
  isFiniteNumber(value)
    ? value
    : typeof value === 'string' && NUMBER_TEXT.test(value)
      ? Number(value)
      : NOT_QUICK;

/** A string, or a number that stands for one (ids and numbers Tropo may send unquoted). */
export const stringLike = withQuickRead(
  z.union([z.string(), z.number()]).transform((v) => String(v)),
  readStringLike,
);
/** A number, or a string holding one. */
export const numberLike = withQuickRead(
  z.union([
    z.number(),
    z
      .string()
      .regex(NUMBER_TEXT, { error: 'expected a number' })
      .transform((v) => Number(v)),
  ]),
  readNumberLike,
);
/** `stringLike` or null. */
export const nullableStringLike = withQuickRead(stringLike.nullable(), (value) =>
  value === null ? null : readStringLike(value),
);
/** `numberLike` or null. */
export const nullableNumberLike = withQuickRead(numberLike.nullable(), (value) =>
  value === null ? null : readNumberLike(value),
);
/** A string only. */
export const plainString = withQuickRead(z.string(), (value) =>
  typeof value === 'string' ? value : NOT_QUICK,
);
/** A boolean only. */
export const plainBoolean = withQuickRead(z.boolean(), (value) =>
  typeof value === 'boolean' ? value : NOT_QUICK,
);

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
    if (!this.full) {
      const quick = quickRead(schema, value);
      if (quick !== NOT_QUICK) return quick as T;
    }
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
    const known = quickRead(schema, value);
    if (known !== NOT_QUICK) return known as T;
    // A schema with a quick read refuses whatever that read leaves (the property tests hold it to
    // that), so only the other schemas get the cheaper first try.
    if (!QUICK.has(schema)) {
      const quick = schema.safeParse(value);
      if (quick.success) return quick.data;
    }
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
