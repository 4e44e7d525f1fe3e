/** Name suggestions (pure): the candidates closest to a name that matched nothing. */

/** Levenshtein distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Up to `max` candidates that look like `name`: same text ignoring case, containing it or contained
 * in it, or within a third of its length in edits; closest first, duplicates removed.
 */
export function closestNames(name: string, candidates: readonly string[], max = 5): string[] {
  const wanted = name.trim().toLowerCase();
  const scored = [...new Set(candidates)]
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const distance = editDistance(wanted, lower);
      const related = lower.includes(wanted) || wanted.includes(lower);
      return { candidate, score: related ? Math.min(distance, 1) : distance };
    })
    .filter(({ score }) => score <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map(({ candidate }) => candidate);
}
