/** "Did you mean …?" for a mistyped command: the nearest name by edit distance, when near enough. */

/** Levenshtein distance (insertions, deletions, substitutions), with a swap of neighbours as one edit. */
export function editDistance(a: string, b: string): number {
  // d[i][j]: distance between the first i characters of a and the first j of b.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The name nearest to `typed`, if it is within a third of its length (at least 1, at most 3
 * edits) or `typed` is a prefix of exactly it; undefined when nothing is close.
 */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const prefixed = names.filter((n) => lower.length >= 2 && n.startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(lower, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const allowed = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  return best !== undefined && best.distance <= allowed ? best.name : undefined;
}
