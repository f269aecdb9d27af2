import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger, type Logger } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';

import { offlineResources } from '../src/offline-resources.ts';
import { createPipelineDag } from '../src/pipeline-dag.ts';
import { checkSourceFreshnessTask, freshnessAsOf } from '../src/source-freshness-task.ts';

// Issue 15: source freshness as a task of the DAG, judged as of the run's data interval.
const database = usePostgresDatabase('pipeline_freshness_task');
let pool: pg.Pool;
// The wall clock of the test: long after the loads below, as for a backfill of January.
const now = new Date('2026-12-04T12:00:00Z');

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query('create schema if not exists raw');
  for (const table of ['users__history', 'viewing_sessions__history', 'content__history'])
    await pool.query(`create table raw.${table} (_extracted_at timestamptz not null)`);
  // Every source last loaded in the run of 2026-01-04, early on the 5th.
  for (const table of ['users__history', 'viewing_sessions__history', 'content__history'])
    await pool.query(`insert into raw.${table} values ('2026-01-05T02:00:00Z')`);
});
afterAll(async () => {
  await pool.end();
});

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields, message) => warnings.push(message) };
  return { logger, warnings };
}

const run = (logicalDate: string | undefined, logger: Logger = silentLogger) =>
  checkSourceFreshnessTask({ warehouse: pool, logicalDate, allowEmpty: false, logger, now });

describe('check_source_freshness', () => {
  it('runs after the extract and before the transform, which needs it to succeed', () => {
    const dag = createPipelineDag(offlineResources);
    expect(dag.upstreamOf('check_source_freshness')).toEqual(['extract_to_warehouse']);
    expect(dag.upstreamOf('transform_with_models')).toEqual(['check_source_freshness']);
    expect(dag.tasks.transform_with_models.triggerRule ?? 'all_success').toBe('all_success');
  });

  it('is judged at the end of the data interval (the day after the logical date), never after now', () => {
    expect(freshnessAsOf('2026-01-04', now).toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(freshnessAsOf('2026-12-04', now)).toEqual(now);
    expect(freshnessAsOf(undefined, now)).toEqual(now);
  });

  it('passes a backfill of an old date whose data was loaded since, where the wall clock would fail it', async () => {
    const report = await run('2026-01-04');
    expect(report.warnings).toEqual([]);
    expect(report.details?.['asOf']).toBe('2026-01-05T00:00:00.000Z');
    await expect(run(undefined)).rejects.toThrow(
      /source freshness as of 2026-12-04T12:00:00.000Z: raw\.users__history error/,
    );
  });

  it('warn: succeeds, and logs and reports a warning per late source', async () => {
    const { logger, warnings } = recordingLogger();
    // Interval end 2026-01-07: 46 h after the last load (warn after 36 h, error after 3 days).
    const report = await run('2026-01-06', logger);
    expect(report.warnings).toEqual([
      'raw.users__history warn: newest load 2026-01-05T02:00:00.000Z, 46.0 h old',
      'raw.viewing_sessions__history warn: newest load 2026-01-05T02:00:00.000Z, 46.0 h old',
      'raw.content__history warn: newest load 2026-01-05T02:00:00.000Z, 46.0 h old',
    ]);
    expect(warnings).toEqual(report.warnings.map((w) => `source freshness: ${w}`));
  });

  it('error: fails the task with every stale source named', async () => {
    await expect(run('2026-01-09')).rejects.toMatchObject({
      code: 'data_test_failed',
      message:
        'source freshness as of 2026-01-10T00:00:00.000Z: raw.users__history error: newest load 2026-01-05T02:00:00.000Z, 118.0 h old; raw.viewing_sessions__history error: newest load 2026-01-05T02:00:00.000Z, 118.0 h old; raw.content__history error: newest load 2026-01-05T02:00:00.000Z, 118.0 h old',
    });
  });

  it('an empty source is an error, and a warning under --allow-empty', async () => {
    await pool.query('truncate raw.content__history');
    try {
      await expect(run(undefined)).rejects.toThrow(/raw\.content__history error: no rows/);
      const report = await checkSourceFreshnessTask({
        warehouse: pool,
        logicalDate: '2026-01-04',
        allowEmpty: true,
        logger: silentLogger,
        now,
      });
      expect(report.warnings).toEqual([
        'raw.content__history warn: no rows (allowed by --allow-empty)',
      ]);
    } finally {
      await pool.query("insert into raw.content__history values ('2026-01-05T02:00:00Z')");
    }
  });
});
