/** The one place that writes the wire envelope `{"tropo":[…]}`, and never writes a document the validator rejects. */
import type { Issue } from './issues';
import type { TropoDocument, Verb } from './schema';
import { validateDocument, type ValidateOptions } from './validate';

/** Thrown by `serialise` when the document has errors; `issues` lists them (warnings are not included). */
export class TropoDocumentError extends Error {
  override readonly name = 'TropoDocumentError';
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    const first = issues[0];
    super(
      first === undefined
        ? 'invalid Tropo document'
        : `invalid Tropo document: ${first.path ? `${first.path}: ` : ''}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    );
    this.issues = issues;
  }
}

/** True when `error` is a `TropoDocumentError`. */
export function isTropoDocumentError(error: unknown): error is TropoDocumentError {
  return error instanceof TropoDocumentError;
}

function envelope(
  doc: TropoDocument | readonly Verb[],
): TropoDocument | { tropo: readonly Verb[] } {
  return Array.isArray(doc) ? { tropo: doc } : (doc as TropoDocument);
}

/**
 * Validates and writes a document (or a list of verbs) as JSON, in normal form: unknown keys and
 * undefined fields are left out. Throws `TropoDocumentError` when the document has errors.
 */
export function serialise(
  doc: TropoDocument | readonly Verb[],
  options: ValidateOptions = {},
): string {
  const validation = validateDocument(envelope(doc), options);
  if (!validation.ok || validation.document === undefined) {
    throw new TropoDocumentError(validation.issues.filter((issue) => issue.severity === 'error'));
  }
  return JSON.stringify(validation.document);
}

/**
 * Writes a document that the caller has just validated (pass `validation.document`), skipping a
 * second validation; undefined fields are left out.
 */
export function serialiseValidated(doc: TropoDocument | readonly Verb[]): string {
  return JSON.stringify(envelope(doc));
}
