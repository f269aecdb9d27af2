import type { Logger } from '@reelhouse/core';
import { extractToWarehouse } from '@reelhouse/extractor';
import { applyMongoBatches, applyPostgresBatches } from '@reelhouse/loaders';
import { createPool } from '@reelhouse/warehouse';
import { MongoClient } from 'mongodb';
import type pg from 'pg';
import { z } from 'zod';

import { buildAllModels } from './transform.ts';

/** What one daily-stage child runs against the stage's own databases. */
export const dailyRunJob = z.strictObject({
  /** `incremental`: the day's run as `pnpm pipeline --logical-date D` runs it; `full`: full-refresh extract and full build. */
  mode: z.enum(['incremental', 'full']),
  sourceUrl: z.string(),
  warehouseUrl: z.string(),
  mongoUrl: z.string(),
  mongoDb: z.string(),
  /** The folder with the base files and the day batches. */
  dataDir: z.string(),
  /** The logical date: batches up to it are applied (incremental mode only). */
  through: z.string().optional(),
  /**
   * Incremental mode: apply the batches first (default). The measured run leaves it to the
   * contender's untimed preparation: writing the day into the sources is the source
   * applications' work, not the pipeline's.
   */
  apply: z.boolean().default(true),
});
export type DailyRunJob = z.output<typeof dailyRunJob>;

const since = (from: number) => performance.now() - from;

/**
 * Brings both sources to the job's day through their loaders, concurrently (as the DAG runs the two
 * load tasks); returns the times in ms (`apply`, `apply postgres`, `apply mongo`).
 */
export async function applyDay(
  job: DailyRunJob,
  logger: Logger,
  pools: { source: pg.Pool; mongo: MongoClient },
): Promise<Record<string, number>> {
  const parts: Record<string, number> = {};
  const started = performance.now();
  const timed = async (part: string, work: () => Promise<unknown>) => {
    const from = performance.now();
    await work();
    parts[part] = since(from);
  };
  await Promise.all([
    timed('apply postgres', () =>
      applyPostgresBatches(pools.source, { dataDir: job.dataDir, through: job.through, logger }),
    ),
    timed('apply mongo', () =>
      applyMongoBatches(pools.mongo.db(job.mongoDb), {
        dataDir: job.dataDir,
        through: job.through,
        rejectsPool: pools.source,
        logger,
      }),
    ),
  ]);
  parts['apply'] = since(started);
  return parts;
}

/** `applyDay` with its own connections, for a contender's untimed preparation. */
export async function applyDayAlone(
  job: DailyRunJob,
  logger: Logger,
): Promise<Record<string, number>> {
  const source = createPool({ url: job.sourceUrl, applicationName: 'reelhouse-bench-daily' });
  const mongo = new MongoClient(job.mongoUrl);
  try {
    return await applyDay(job, logger, { source, mongo });
  } finally {
    await Promise.all([source.end(), mongo.close()]);
  }
}

/**
 * One run of the daily stage, as the pipeline's tasks do it: the day's batches applied to both
 * sources (`applyDay`, unless `apply` is false), every stream extracted by cursor,
 * then the models built incrementally; or, in `full` mode, a full-refresh extract and a full build
 * (dim_user's SCD2 history rebuilt too) of the same sources. Returns sub-timings in ms.
 */
export async function runDaily(
  job: DailyRunJob,
  logger: Logger,
): Promise<{ rows: number; parts: Record<string, number> }> {
  const full = job.mode === 'full';
  const source = createPool({ url: job.sourceUrl, applicationName: 'reelhouse-bench-daily' });
  const warehouse = createPool({ url: job.warehouseUrl, applicationName: 'reelhouse-bench-daily' });
  const mongo = new MongoClient(job.mongoUrl);
  try {
    const parts: Record<string, number> = {};
    if (!full && job.apply) Object.assign(parts, await applyDay(job, logger, { source, mongo }));
    const extractStarted = performance.now();
    const extract = await extractToWarehouse({
      source,
      warehouse,
      mongo: mongo.db(job.mongoDb),
      fullRefresh: full,
      logger,
    });
    parts['extract'] = since(extractStarted);
    for (const stream of extract.streams) parts[`extract ${stream.stream}`] = stream.durationMs;
    const buildStarted = performance.now();
    const build = await buildAllModels({
      warehouseUrl: job.warehouseUrl,
      fullRefresh: full,
      logger,
    });
    parts['build'] = since(buildStarted);
    for (const [model, ms] of Object.entries(build.parts)) parts[`model ${model}`] = ms;
    return { rows: extract.rowsWritten, parts };
  } finally {
    await Promise.all([source.end(), warehouse.end(), mongo.close()]);
  }
}
