/** Loads the REST-answer vectors (Session API, signals) from test/fixtures/vectors.json, a verbatim copy of the protocol notes' file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Vector {
  kind: string;
  library: string;
  description: string;
  /** The payload: a JSON value, or the raw text for REST answers (XML, JSON text). */
  json: unknown;
}

const vectors = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'vectors.json'), 'utf8'),
) as Vector[];

/** Every vector of one kind, e.g. `session-api-response`. */
export function vectorsOfKind(kind: string): Vector[] {
  return vectors.filter((vector) => vector.kind === kind);
}

/** The raw body of the one REST-answer vector whose description contains `fragment`. */
export function restBody(kind: string, fragment: string): string {
  const matches = vectorsOfKind(kind).filter((vector) => vector.description.includes(fragment));
  const [only] = matches;
  if (matches.length !== 1 || only === undefined || typeof only.json !== 'string') {
    throw new Error(`expected exactly one ${kind} vector with a text body matching "${fragment}"`);
  }
  return only.json;
}
