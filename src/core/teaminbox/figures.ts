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

/**
 * The ISO 8601 week of a calendar date (`2025-12-03` → `2025-W49`, Monday its first day; the
 * week belongs to the year of its Thursday) and that week's Monday.
 */
export function isoWeek(localDate: string): { week: string; monday: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(localDate);
  if (!m) throw new RangeError(`not a date: ${localDate}`);
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = day - weekday * 86_400_000;
  const thursday = new Date(monday + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, monday: new Date(monday).toISOString().slice(0, 10) };
}
