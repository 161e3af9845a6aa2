/**
 * The manager's figures: first-response times per rep as percentiles (nearest rank: the value at
 * or below which p % of the answers fall — a time that really happened, never an interpolation).
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

export interface RepFigures {
  answered: number;
  p50BusinessMinutes: number | null;
  p90BusinessMinutes: number | null;
  breaches: number;
}

/** Figures from first responses (business minutes, and whether each came after the target). */
export function repFigures(responses: ReadonlyArray<{ businessMinutes: number; breached: boolean }>): RepFigures {
  const minutes = responses.map((r) => r.businessMinutes);
  return { answered: responses.length, p50BusinessMinutes: percentile(minutes, 50), p90BusinessMinutes: percentile(minutes, 90), breaches: responses.filter((r) => r.breached).length };
}
