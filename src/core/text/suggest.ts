import { distance } from 'fastest-levenshtein';

/**
 * The closest known word to a misspelt one, or undefined when nothing is close enough to be a
 * plausible typo (so "did you mean" never suggests something unrelated).
 */
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const s = suggest(word, known);
  return s ? ` — did you mean "${s}"?` : '';
}
