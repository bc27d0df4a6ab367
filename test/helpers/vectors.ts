/** Loads the shared WebAPI test vectors (spec §11) from this repository's copy in test/fixtures. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One vector: a payload (as JSON text) with where it came from. */
export interface Vector {
  kind: string;
  library: string;
  description: string;
  json: string;
}

/** The copy the tests use, so they never depend on the shared folder being there. */
export const VECTORS_PATH = path.join(__dirname, '..', 'fixtures', 'vectors.json');

/** The shared original: `../shared/fixtures/vectors.json` relative to the repository root. */
export const SHARED_VECTORS_PATH = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'vectors.json',
);

/** Reads a vectors file. */
export function loadVectors(file: string = VECTORS_PATH): Vector[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Vector[];
}

/** The vectors of one kind, each with its payload parsed. */
export function vectorsOfKind(kind: string): { description: string; body: unknown }[] {
  return loadVectors()
    .filter((vector) => vector.kind === kind)
    .map((vector) => ({
      description: vector.description,
      body: JSON.parse(vector.json) as unknown,
    }));
}
