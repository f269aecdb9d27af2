/** A half-open time range `[start, end)`. */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

export type IntervalUnit = 'day' | 'hour';

const unitMs: Record<IntervalUnit, number> = { day: 86_400_000, hour: 3_600_000 };

/** The start of the UTC interval holding `instant`. */
export function floorToInterval(instant: Date, unit: IntervalUnit): Date {
  return new Date(Math.floor(instant.getTime() / unitMs[unit]) * unitMs[unit]);
}

export interface PlanIntervalsOptions {
  /** Ranges the ledger says were built. */
  readonly built: readonly TimeRange[];
  /** Where building starts when the ledger is empty (the oldest data); ignored otherwise. */
  readonly firstStart: Date;
  /** Exclusive end of what should be built: the start of the current, incomplete interval. */
  readonly end: Date;
  readonly unit: IntervalUnit;
  /** Built intervals before the newest one that are rebuilt anyway, for late data. */
  readonly lookback: number;
}

/**
 * The ranges an incremental run by time range must build: every interval between the oldest
 * built one and `end` the ledger does not cover (gaps and new intervals), plus the `lookback`
 * intervals before the newest built one; contiguous intervals merged into one range.
 */
export function planIntervals(options: PlanIntervalsOptions): TimeRange[] {
  const step = unitMs[options.unit];
  const covered = new Set<number>();
  for (const range of options.built) {
    for (
      let t = floorToInterval(range.start, options.unit).getTime();
      t < range.end.getTime();
      t += step
    )
      covered.add(t);
  }
  const starts = [...covered];
  const start =
    starts.length > 0
      ? starts.reduce((a, b) => Math.min(a, b))
      : floorToInterval(options.firstStart, options.unit).getTime();
  const end = floorToInterval(options.end, options.unit).getTime();
  const newestBuiltEnd = starts.length > 0 ? starts.reduce((a, b) => Math.max(a, b)) + step : start;
  const lookbackFrom = newestBuiltEnd - options.lookback * step;
  const wanted: number[] = [];
  for (let t = start; t < end; t += step) if (!covered.has(t) || t >= lookbackFrom) wanted.push(t);
  const ranges: TimeRange[] = [];
  for (const t of wanted) {
    const last = ranges.at(-1);
    if (last?.end.getTime() === t)
      ranges[ranges.length - 1] = { start: last.start, end: new Date(t + step) };
    else ranges.push({ start: new Date(t), end: new Date(t + step) });
  }
  return ranges;
}
