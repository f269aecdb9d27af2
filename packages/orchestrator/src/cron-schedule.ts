import { ReelhouseError } from '@reelhouse/core';
import { Cron } from 'croner';

/** Airflow's data interval: a scheduled run covers [start, end) and starts once `end` has passed. */
export interface DataInterval {
  readonly start: Date;
  readonly end: Date;
}

/** A cron expression (5 fields, 6 with seconds, or a preset such as `@daily`), evaluated in UTC. */
export interface CronSchedule {
  readonly expression: string;
  /** The first fire time strictly after `after`. */
  nextFire(after: Date): Date;
  /** The interval ending at the first fire time strictly after `after`. */
  nextInterval(after: Date): DataInterval;
  /** The latest interval whose end is at or before `now` (what a scheduler runs now), if any. */
  latestInterval(now: Date): DataInterval | undefined;
}

/** Parses a cron expression; a bad one is `invalid_input` naming it. */
export function cronSchedule(expression: string): CronSchedule {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: 'Etc/UTC' });
  } catch (error) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `cron '${expression}': ${error instanceof Error ? error.message : String(error)}`,
      context: { expression },
    });
  }
  const nextFire = (after: Date): Date => {
    const next = cron.nextRun(after);
    if (next === null)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `cron '${expression}' never fires after ${after.toISOString()}`,
      });
    return next;
  };
  const previousFire = (before: Date): Date | undefined => cron.previousRuns(1, before)[0];
  return {
    expression,
    nextFire,
    nextInterval(after) {
      const end = nextFire(after);
      return { start: previousFire(end) ?? end, end };
    },
    latestInterval(now) {
      // previousRuns is strictly before its reference: step 1 ms past `now` to include `now`.
      const [end, start] = cron.previousRuns(2, new Date(now.getTime() + 1));
      return end === undefined || start === undefined ? undefined : { start, end };
    },
  };
}
