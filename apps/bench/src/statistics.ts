/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (index: number): number => sorted[index] ?? Number.NaN;
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** Rows per second for a duration in milliseconds. */
export function rowsPerSecond(rows: number, durationMs: number): number {
  if (durationMs <= 0) throw new RangeError('duration must be positive');
  return (rows * 1000) / durationMs;
}

/**
 * Reelhouse's speed as a share of the baseline's (1.0 = as fast, 0.8 = 80 % of its rows/s): the
 * baseline's time divided by ours, so both rows/s and seconds read the same way.
 */
export function speedRatio(oursMs: number, baselineMs: number): number {
  if (oursMs <= 0 || baselineMs <= 0) throw new RangeError('durations must be positive');
  return baselineMs / oursMs;
}

/** The `p`th percentile of a non-empty list, nearest rank (p95 of 20 values is the 19th smallest). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (p <= 0 || p > 100) throw new RangeError('p must be in (0, 100]');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
}
