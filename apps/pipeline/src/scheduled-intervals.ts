import type { CronSchedule, DataInterval } from '@reelhouse/orchestrator';

/**
 * The intervals a scheduler runs now, oldest first (Airflow's rules): the latest interval that has
 * ended, and with `catchup` every interval missed since the last scheduled one (or `startDate`).
 */
export function pendingIntervals(options: {
  cron: CronSchedule;
  now: Date;
  /** Start of the latest interval a scheduled run exists for. */
  lastStart: Date | undefined;
  catchup: boolean;
  startDate?: Date | undefined;
}): DataInterval[] {
  const { cron, now, lastStart, catchup } = options;
  const latest = cron.latestInterval(now);
  if (latest === undefined) return [];
  if (lastStart !== undefined && latest.start.getTime() <= lastStart.getTime()) return [];
  const from = lastStart ?? (catchup ? options.startDate : undefined);
  if (!catchup || from === undefined) return [latest];
  const intervals: DataInterval[] = [];
  // The interval after the last run's, or the first one starting at or after the start date.
  let start =
    lastStart === undefined
      ? cron.nextFire(new Date(from.getTime() - 1))
      : cron.nextFire(lastStart);
  for (let end = cron.nextFire(start); end.getTime() <= now.getTime(); end = cron.nextFire(end)) {
    intervals.push({ start, end });
    start = end;
  }
  return intervals;
}

/** Airflow's run id of a scheduled interval: `scheduled__<interval start>`. */
export const scheduledRunId = (interval: DataInterval): string =>
  `scheduled__${interval.start.toISOString()}`;
