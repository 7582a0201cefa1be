/**
 * Restricted Damerau-Levenshtein distance (optimal string alignment), as rustc's
 * `edit_distance`: insertions, deletions, substitutions and transpositions of two adjacent
 * letters each cost one. A swap (`rleu` for `relu`, `imgae` for `image`) is the most common
 * typo, and plain Levenshtein counts it as two edits, which is more than a short name's limit.
 * Three rows, iterative.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current[j] = best;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** Candidates close to `name`, best first; used for "did you mean" help lines. */
export function closeNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    const prefix = candidate.toLowerCase().startsWith(lower) && lower.length >= 3;
    // One edit away from a one-letter name is any other name: no suggestion then.
    if ((distance <= limit && distance < name.length) || prefix) scored.push([candidate, prefix ? Math.min(distance, 1) : distance]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([candidate]) => candidate);
}

/** `help` text for a misspelt name, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const close = closeNames(name, candidates);
  if (close.length === 0) return undefined;
  if (close.length === 1) return `did you mean \`${close[0]}\`?`;
  return `did you mean one of ${close.map((c) => `\`${c}\``).join(', ')}?`;
}
