/** Assertions shared by the WebAPI library's tests. */
import {
  validateDocument,
  type Issue,
  type ValidateOptions,
  type Validation,
} from '../../src/tropo';

/** Validates `input`, failing the test (with the issues shown) unless it is valid; returns the outcome. */
export function expectValid(input: unknown, options?: ValidateOptions): Required<Validation> {
  const validation = validateDocument(input, options);
  expect(validation.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  expect(validation.ok).toBe(true);
  return validation as Required<Validation>;
}

/** Validates `input` and returns its errors, failing the test if there are none. */
export function errorsOf(input: unknown, options?: ValidateOptions): Issue[] {
  const validation = validateDocument(input, options);
  expect(validation.ok).toBe(false);
  expect(validation.document).toBeUndefined();
  return validation.issues.filter((issue) => issue.severity === 'error');
}

/** Validates `input` (which must be valid) and returns its warnings. */
export function warningsOf(input: unknown, options?: ValidateOptions): Issue[] {
  return expectValid(input, options).issues.filter((issue) => issue.severity === 'warning');
}

/** The normalised verbs of a valid document made of `verbs`. */
export function normalise(...verbs: unknown[]): unknown[] {
  return expectValid({ tropo: verbs }).document.tropo;
}
