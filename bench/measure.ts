/** Small helpers shared by the benchmark sections: medians and percentiles of measured samples. */

export interface Row {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline, oriented so that > 1 means "ours is better" (see `higherIsBetter`). */
  ratio?: number;
  higherIsBetter: boolean;
  note?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function sortedCopy(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: number[]): number {
  return percentile(sortedCopy(values), 50);
}

/** Runs `fn` repeatedly for about `ms` after a warm-up and returns the per-call durations in ms. */
export function sample(fn: () => void, ms = 1000, warmup = 50): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Operations per second from per-call durations (median-based, robust to GC pauses). */
export const opsPerSecond = (durationsMs: number[]) => 1000 / median(durationsMs);

export function compare(row: Omit<Row, 'ratio'>): Row {
  if (!row.baseline) return row;
  const ratio = row.higherIsBetter ? row.value / row.baseline.value : row.baseline.value / row.value;
  return { ...row, ratio };
}
