import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import type { TimeRange } from './plan-intervals.ts';
import { relationExists } from './relation-exists.ts';

/**
 * The ledger's key of a model built into `targetSchema`: its name for `trusted`, so existing
 * ledgers stay valid, `<schema>.<name>` for other targets (dev environments keep their own ranges).
 */
export function ledgerKey(targetSchema: string, model: string): string {
  return targetSchema === 'trusted' ? model : `${targetSchema}.${model}`;
}

/** Creates `ops.model_intervals` (the ranges each incremental model by time range has built) if missing. */
export async function ensureIntervalLedger(db: AnyKysely): Promise<void> {
  await sql`create schema if not exists ops`.execute(db);
  await sql`
    create table if not exists ops.model_intervals (
      model text not null,
      interval_start timestamptz not null,
      interval_end timestamptz not null,
      build_id text not null,
      built_at timestamptz not null default now(),
      check (interval_start < interval_end)
    )`.execute(db);
  await sql`create index if not exists model_intervals_model_idx on ops.model_intervals (model, interval_start)`.execute(
    db,
  );
}

/** The ranges the ledger records as built for `model` (none when the ledger does not exist yet). */
export async function readBuiltIntervals(db: AnyKysely, model: string): Promise<TimeRange[]> {
  if (!(await relationExists(db, 'ops.model_intervals'))) return [];
  const built = await sql<{ start: Date; end: Date }>`
    select interval_start as "start", interval_end as "end" from ops.model_intervals where model = ${model} order by interval_start`.execute(
    db,
  );
  return built.rows;
}

export interface RecordIntervalsOptions {
  readonly model: string;
  readonly ranges: readonly TimeRange[];
  readonly buildId: string;
  /** A full rebuild forgets what earlier builds recorded. */
  readonly replace: boolean;
}

/** Records built ranges; run it in the publish transaction so the ledger and the table agree. */
export async function recordIntervals(
  db: AnyKysely,
  options: RecordIntervalsOptions,
): Promise<void> {
  await ensureIntervalLedger(db);
  if (options.replace)
    await sql`delete from ops.model_intervals where model = ${options.model}`.execute(db);
  for (const range of options.ranges) {
    await sql`insert into ops.model_intervals (model, interval_start, interval_end, build_id, built_at)
      values (${options.model}, ${range.start}, ${range.end}, ${options.buildId}, now())`.execute(
      db,
    );
  }
}
