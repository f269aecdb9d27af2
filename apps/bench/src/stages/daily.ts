import type { Logger } from '@reelhouse/core';
import { MongoClient } from 'mongodb';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { ensureDailyData, type DailyData } from '../daily-data.ts';
import {
  dropPostgresSnapshot,
  restoreMongo,
  restorePostgres,
  snapshotMongo,
  snapshotPostgres,
  type MongoSnapshot,
} from '../database-snapshot.ts';
import { enableAutoExplain } from '../enable-auto-explain.ts';
import { partNote } from '../part-notes.ts';
import { runContenders } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import {
  fingerprintSchema,
  requireSameFingerprint,
  type SchemaFingerprint,
} from '../schema-fingerprint.ts';
import type { StageModule } from '../stage-module.ts';
import { countRows, withPool } from '../with-pool.ts';
import { applyDayAlone, dailyRunJob, runDaily, type DailyRunJob } from './daily-run.ts';

/** With `--explain`: the daily run's statements are short, so plans over 100 ms are logged. */
const explainMinDurationMs = 100;

/** The daily run may take at most this share of a full run. */
export const dailyMaxShare = 0.05;

const fullName = 'reelhouse full extract + build';

async function withMongo<T>(url: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * The base state, untimed: the stage's own databases loaded with the base files, a full extract
 * and build, then the days before the measured one run one by one as the pipeline runs them;
 * vacuumed and analysed (as autovacuum leaves a warehouse between two daily runs), then kept as
 * templates (PostgreSQL) and in memory (MongoDB: the catalogue is small).
 */
async function prepareBase(
  context: BenchContext,
  options: { daily: DailyData; job: Omit<DailyRunJob, 'mode' | 'through' | 'apply'>; logger: Logger },
): Promise<MongoSnapshot> {
  const { databases } = context;
  const { daily, job, logger } = options;
  const { createMongoCollections, createPostgresTables } = await import('@reelhouse/loaders');
  await databases.recreate(new URL(databases.dailySource).pathname.slice(1));
  await databases.recreate(new URL(databases.dailyWarehouse).pathname.slice(1));
  await databases.dropMongo(databases.dailyMongoDb);
  await withPool(databases.dailySource, (pool) => createPostgresTables(pool, { logger }));
  await withMongo(databases.mongoUrl, (client) =>
    createMongoCollections(client.db(databases.dailyMongoDb), { logger }),
  );
  logger.info({ dir: daily.dir }, 'set-up: base files into the sources, first extract and build');
  // The base files alone (no logical date): the first extract and build are full ones.
  await runDaily(dailyRunJob.parse({ ...job, mode: 'incremental' }), logger);
  for (const day of daily.baseDays) {
    logger.info({ day }, 'set-up: daily run');
    await runDaily(dailyRunJob.parse({ ...job, mode: 'incremental', through: day }), logger);
  }
  for (const url of [databases.dailySource, databases.dailyWarehouse])
    await withPool(url, (pool) => pool.query('vacuum analyze'));
  for (const url of [databases.dailySource, databases.dailyWarehouse])
    await snapshotPostgres({ serverUrl: databases.serverUrl, url });
  return withMongo(databases.mongoUrl, (client) =>
    snapshotMongo(client.db(databases.dailyMongoDb)),
  );
}

/**
 * Daily: one day's batch (1% new sessions, late ones, corrections, moves, deletions, new and
 * changed users, erasures, catalogue edits) run incrementally on the base state, against a full
 * extract and build of the same sources. Every incremental run starts from the restored base;
 * the full run follows it on the same sources, and trusted must come out identical.
 */
export const dailyStage: StageModule = {
  name: 'daily',
  async run(context: BenchContext) {
    const { databases, dataSet, paths } = context;
    const logger = context.logger.child({ stage: 'daily' });
    const daily = await ensureDailyData({ dataSet, dataDir: paths.dataDir, logger });
    const job = {
      sourceUrl: databases.dailySource,
      warehouseUrl: databases.dailyWarehouse,
      mongoUrl: databases.mongoUrl,
      mongoDb: databases.dailyMongoDb,
      dataDir: daily.dir,
    };
    const snapshot = await prepareBase(context, { daily, job, logger });
    const baseSessions = await withPool(databases.dailySource, (pool) =>
      countRows(pool, 'public.viewing_sessions'),
    );
    let afterIncremental: SchemaFingerprint | undefined;
    const measuredJob = { ...job, mode: 'incremental', through: daily.day, apply: false } as const;
    // The day written into the sources before each measured run (untimed): the sources' own work.
    const applied: Record<string, number>[] = [];
    const trusted = () =>
      withPool(databases.dailyWarehouse, (pool) => fingerprintSchema(pool, 'trusted'));
    try {
      const [incremental, full] = await runContenders({
        ...contenderSettings(context, 'daily'),
        contenders: [
          childContender({
            name: `reelhouse daily run (${daily.day})`,
            stage: 'daily',
            job: measuredJob,
            prepare: async () => {
              for (const url of [databases.dailySource, databases.dailyWarehouse]) {
                await restorePostgres({ serverUrl: databases.serverUrl, url });
                // A database's settings stay with its old copy: auto_explain is set again.
                if (context.options.explain)
                  await enableAutoExplain({
                    url,
                    minDurationMs: explainMinDurationMs,
                    prefix: context.options.dbPrefix,
                  });
              }
              await withMongo(databases.mongoUrl, (client) =>
                restoreMongo(client.db(databases.dailyMongoDb), snapshot),
              );
              applied.push(await applyDayAlone(dailyRunJob.parse(measuredJob), logger));
            },
            verify: async () => {
              afterIncremental = await trusted();
            },
          }),
          childContender({
            name: fullName,
            stage: 'daily',
            job: { ...job, mode: 'full' },
            // Runs on the sources the daily run left: trusted must not change by a row.
            verify: async () => {
              if (afterIncremental === undefined) return;
              requireSameFingerprint({
                expected: afterIncremental,
                actual: await trusted(),
                what: 'trusted after the daily run against the full rebuild',
              });
            },
            profiled: false,
          }),
        ],
      });
      if (incremental === undefined || full === undefined)
        throw new Error('daily: contenders missing');
      const counts = daily.manifest.counts;
      const upserts = daily.manifest.upserts;
      const deletes = daily.manifest.deletes;
      const rows =
        upserts.users +
        upserts.viewing_sessions +
        upserts.content +
        deletes.users +
        deletes.viewing_sessions +
        deletes.content;
      const share = (n: number) => `${((n / baseSessions) * 100).toFixed(2)}%`;
      return {
        stage: 'daily',
        rows,
        ours: incremental,
        baselines: [full],
        targets: [
          {
            baseline: fullName,
            minRatio: 1 / dailyMaxShare,
            description: `daily incremental run ≤ ${dailyMaxShare * 100}% of a full run (ratio ≥ ${1 / dailyMaxShare})`,
          },
        ],
        maxRssMb: 250,
        profile: incremental.profile,
        notes: [
          `base: ${baseSessions.toLocaleString('en-US')} sessions (the data set and days ${daily.baseDays.join(', ')} run one by one); the measured day ${daily.day}: ${counts.new_sessions.toLocaleString('en-US')} new sessions (${share(counts.new_sessions)} of the base, ${counts.late_sessions.toLocaleString('en-US')} of them late), ${counts.corrected_sessions} corrected (${counts.moved_sessions} moved to another day), ${counts.deleted_sessions} deleted; ${counts.new_users} new users, ${counts.plan_changes} plan changes, ${counts.cancellations} cancellations, ${counts.returns} returns, ${counts.erasures} erasures; ${counts.new_titles} new titles, ${counts.new_episodes} new episodes, ${counts.catalogue_edits} catalogue edits, ${counts.deleted_titles} titles deleted; rows/s = batch rows (upserts + deletes) per second`,
          'the daily run = extract of every stream by cursor (with its reconciliations) + incremental build (with its data tests), what the pipeline does on a day; before each one the databases are restored from templates of the base state and both sources are brought to the day by their loaders, concurrently as the DAG runs them (untimed: that is the source applications’ work, reported below). The full run = full-refresh extract + full build (dim_user SCD2 history too) of the sources the daily run left; after it trusted must equal the daily run’s, table by table (load bookkeeping columns aside), or the stage fails',
          `applying the day to the sources (untimed, outside the ratio), per run: ${applied
            .map((parts) =>
              Object.entries(parts)
                .map(([part, ms]) => `${part} ${(ms / 1000).toFixed(2)} s`)
                .join(', '),
            )
            .join('; ')}`,
          ...[partNote(incremental, 14), partNote(full, 8)].filter((note) => note !== undefined),
        ],
      };
    } finally {
      for (const url of [databases.dailySource, databases.dailyWarehouse])
        await dropPostgresSnapshot({ serverUrl: databases.serverUrl, url });
    }
  },
  async child(job, logger) {
    return runDaily(dailyRunJob.parse(job), logger);
  },
};
