/** Loads the shared test vectors (test/fixtures/vectors.json, a verbatim copy of the research file) by kind. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Vector {
  kind: string;
  library: string;
  description: string;
  /** The payload as JSON text. */
  json: string;
}

const all = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'vectors.json'), 'utf8'),
) as Vector[];

/** Every vector of one kind, in file order. */
export function vectorsOfKind(kind: string): Vector[] {
  return all.filter((v) => v.kind === kind);
}

/** The one vector of `kind` whose description contains `fragment`; throws when not exactly one. */
export function vector(kind: string, fragment: string): Vector {
  const hits = vectorsOfKind(kind).filter((v) => v.description.includes(fragment));
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind} vector matching "${fragment}", found ${hits.length}`);
  }
  return hits[0] as Vector;
}
