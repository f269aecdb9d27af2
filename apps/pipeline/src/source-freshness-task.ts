import { ReelhouseError, type Logger } from '@reelhouse/core';
import { checkSourceFreshness, type FreshnessResult } from '@reelhouse/model-compiler';
import { sourceFreshness } from '@reelhouse/models';
import type { TaskReport } from '@reelhouse/orchestrator';
import { createKysely } from '@reelhouse/warehouse';
import type pg from 'pg';

const dayMs = 86_400_000;

/**
 * The instant a run's freshness is judged at: the end of its data interval (the day after its
 * logical date, as Airflow's `data_interval_end` of a daily DAG), never later than now. A backfill
 * of an old date is judged as of that date, so data loaded since counts as fresh (age 0) instead
 * of failing on the wall clock; a run without a logical date is judged now.
 */
export function freshnessAsOf(logicalDate: string | undefined, now: Date): Date {
  if (logicalDate === undefined) return now;
  const intervalEnd = new Date(Date.parse(`${logicalDate}T00:00:00Z`) + dayMs);
  return intervalEnd < now ? intervalEnd : now;
}

const describe = (r: FreshnessResult) =>
  r.message ??
  (r.ageSeconds === null
    ? 'no rows'
    : `newest load ${r.maxLoadedAt ?? ''}, ${(r.ageSeconds / 3600).toFixed(1)} h old`);

/**
 * The DAG's `check_source_freshness`, as dbt's `source freshness` in Airflow: `warn` ends the task
 * in success with a logged warning; `error` (or a source that cannot be read) fails it, so the
 * transform waits under its trigger rule. With `allowEmpty` an empty source only warns.
 */
export async function checkSourceFreshnessTask(options: {
  readonly warehouse: pg.Pool;
  readonly logicalDate: string | undefined;
  readonly allowEmpty: boolean;
  readonly logger: Logger;
  readonly now?: Date;
}): Promise<TaskReport> {
  const started = performance.now();
  const asOf = freshnessAsOf(options.logicalDate, options.now ?? new Date());
  const checked = await checkSourceFreshness(createKysely(options.warehouse), {
    rules: sourceFreshness,
    now: asOf,
  });
  const results = checked.map((r) =>
    options.allowEmpty && r.status === 'error' && r.maxLoadedAt === null
      ? { ...r, status: 'warn' as const, message: 'no rows (allowed by --allow-empty)' }
      : r,
  );
  const line = (r: FreshnessResult) => `${r.source} ${r.status}: ${describe(r)}`;
  const failed = results.filter((r) => r.status === 'error' || r.status === 'runtime error');
  if (failed.length > 0)
    throw new ReelhouseError({
      code: failed.some((r) => r.status === 'runtime error') ? 'query_failed' : 'data_test_failed',
      message: `source freshness as of ${asOf.toISOString()}: ${failed.map(line).join('; ')}`,
      context: { asOf: asOf.toISOString(), sources: failed.map((r) => r.source) },
    });
  const warnings = results.filter((r) => r.status === 'warn').map(line);
  for (const warning of warnings)
    options.logger.warn({ asOf: asOf.toISOString() }, `source freshness: ${warning}`);
  return {
    step: 'check_source_freshness',
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
    durationMs: Math.round(performance.now() - started),
    warnings,
    details: { asOf: asOf.toISOString(), sources: results },
  };
}
