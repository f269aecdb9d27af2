import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import { readBuiltIntervals } from './interval-ledger.ts';
import type { IncrementalMaterialization } from './materialization.ts';
import { floorToInterval, planIntervals, type TimeRange } from './plan-intervals.ts';

/** What an incremental run of a model by time range rebuilds: gaps, new intervals and the lookback. */
export async function rangesToRebuild(
  db: AnyKysely,
  options: {
    model: string;
    relation: string;
    materialization: IncrementalMaterialization & { timeColumn: string };
    now: Date;
  },
): Promise<TimeRange[]> {
  const unit = options.materialization.interval ?? 'day';
  const built = await readBuiltIntervals(db, options.model);
  // Only without a ledger does the oldest row say where to start (a scan of the table); an empty
  // table (a first build over no data) starts at the epoch, so the next data is not missed.
  const firstStart =
    built.length > 0
      ? options.now
      : ((await oldestTime(db, {
          relation: options.relation,
          column: options.materialization.timeColumn,
        })) ?? new Date(0));
  return planIntervals({
    built,
    firstStart,
    end: options.now,
    unit,
    lookback: options.materialization.lookback ?? 0,
  });
}

/** The range of whole intervals a built table covers, up to the start of the interval holding `now`. */
export async function rangesOfTable(
  db: AnyKysely,
  options: { relation: string; column: string; unit: 'day' | 'hour'; now: Date },
): Promise<TimeRange[]> {
  const first = await oldestTime(db, options);
  if (first === undefined) return [];
  const start = floorToInterval(first, options.unit);
  const end = floorToInterval(options.now, options.unit);
  return start < end ? [{ start, end }] : [];
}

async function oldestTime(
  db: AnyKysely,
  options: { relation: string; column: string },
): Promise<Date | undefined> {
  const { rows } = await sql<{
    first: Date | null;
  }>`select min(${sql.ref(options.column)}) as "first" from ${sql.table(options.relation)}`.execute(
    db,
  );
  return rows[0]?.first ?? undefined;
}
