import { join } from 'node:path';

import { ReelhouseError, type StepReport } from '@reelhouse/core';
import { extractToWarehouse, readSourceVersions } from '@reelhouse/extractor';
import { generateDataSet } from '@reelhouse/generators';
import {
  applyMongoBatches,
  applyPostgresBatches,
  createMongoCollections,
  createPostgresTables,
} from '@reelhouse/loaders';
import { buildModels } from '@reelhouse/model-compiler';
import { models } from '@reelhouse/models';
import { defineDag, skipTask, type TaskReport } from '@reelhouse/orchestrator';
import { createKysely } from '@reelhouse/warehouse';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type { PlausibilityPolicy } from '@reelhouse/contracts';

import { ensureDayBatches } from './ensure-day-batches.ts';
import { existingDataSet } from './existing-data-set.ts';
import { modelBuildError } from './model-build-error.ts';
import { checkSourceFreshnessTask } from './source-freshness-task.ts';
import { dataSetDir, pipelineParamsSchema } from './pipeline-params.ts';
import { writeQualityReport } from './quality/write-quality-report.ts';

export const pipelineDagId = 'video_streaming_elt_pipeline';

/** The connections and folders the tasks work with; opened by the CLI, never by the DAG. */
export interface PipelineResources {
  readonly source: pg.Pool;
  readonly warehouse: pg.Pool;
  readonly mongo: Db;
  readonly dataDir: string;
  readonly targetDir: string;
  /** Seconds of source changes each incremental extract rereads (config; default 0). */
  readonly extractLookbackSeconds?: number;
  /** How the loaders apply the contracts' plausibility rules (config); the rules' defaults when absent. */
  readonly plausibility?: PlausibilityPolicy;
}

const withAssets = (report: StepReport, assets: readonly string[]): TaskReport => ({
  ...report,
  materializations: assets.map((asset) => ({ asset, rows: null })),
});

/**
 * The DAG `video_streaming_elt_pipeline`: generate (when the data set is missing), set up and load
 * both sources, extract into `raw`, check its freshness, build `trusted`, then the quality report. `resources` is
 * called only when a task runs, so `graph` and `airflow-dag` need no database.
 */
export function createPipelineDag(resources: () => PipelineResources) {
  return defineDag({
    dagId: pipelineDagId,
    description:
      'Synthetic streaming data into PostgreSQL and MongoDB, extracted into the warehouse and transformed into a tested star schema.',
    pools: { source_postgres: 2, warehouse: 1 },
    tasks: {
      generate_data: {
        description:
          "Writes the data set for the run's scale and seed unless its manifest already exists, and the day batches up to the run's logical date.",
        async run({ params, signal, logger }) {
          const p = pipelineParamsSchema.parse(params);
          const outDir = dataSetDir(resources().dataDir, p);
          if ((await existingDataSet(outDir, p)) !== undefined) {
            const written = await ensureDayBatches({ outDir, params: p, signal, logger });
            if (written.length === 0) return skipTask(`data set ${outDir} exists`);
            return {
              step: 'generate_data',
              rowsRead: 0,
              rowsWritten: 0,
              rowsRejected: 0,
              durationMs: 0,
              warnings: [],
              details: { days: written },
              materializations: written.map((day) => ({
                asset: `file:${outDir}/days/${day}`,
                rows: null,
              })),
            };
          }
          if (p.dataSetPath !== undefined)
            throw new ReelhouseError({
              code: 'invalid_input',
              message: `--data-dir ${outDir}: no manifest.json there; it runs only a complete generated data set`,
              context: { file: outDir },
            });
          const report = await generateDataSet({
            outDir,
            seed: p.seed,
            scale: p.scale,
            users: p.users,
            sessions: p.sessions,
            titles: p.titles,
            ...(p.defectRate > 0 ? { defectRate: p.defectRate } : {}),
            signal,
            logger,
          });
          await ensureDayBatches({ outDir, params: p, signal, logger });
          return withAssets(report, [`file:${outDir}`]);
        },
      },
      create_mongo_collections: {
        description:
          'Creates the catalogue collection, its indexes and validator (a warning where unsupported).',
        retries: 2,
        retryDelayMs: 2_000,
        run: ({ logger }) => createMongoCollections(resources().mongo, { logger }),
      },
      create_postgres_tables: {
        description:
          'Creates or migrates the source tables users, viewing_sessions and load_rejects.',
        retries: 2,
        retryDelayMs: 2_000,
        pool: 'source_postgres',
        run: ({ logger }) => createPostgresTables(resources().source, { logger }),
      },
      load_json_to_mongo: {
        description:
          "Upserts content.json into MongoDB once, then each day batch up to the run's logical date (upserts, deletes with tombstones), quarantining bad documents.",
        // create_postgres_tables: content rejects are also kept in the source's load_rejects.
        upstream: ['generate_data', 'create_mongo_collections', 'create_postgres_tables'],
        triggerRule: 'none_failed',
        retries: 2,
        retryDelayMs: 2_000,
        async run({ params, signal, logger }) {
          const p = pipelineParamsSchema.parse(params);
          const { mongo, source, plausibility } = resources();
          return withAssets(
            await applyMongoBatches(mongo, {
              dataDir: dataSetDir(resources().dataDir, p),
              through: p.logicalDate,
              rejectsPool: source,
              allowEmpty: p.allowEmpty ?? false,
              ...(plausibility === undefined ? {} : { plausibility }),
              signal,
              logger,
            }),
            ['mongo:content'],
          );
        },
      },
      load_csvs_to_postgres: {
        description:
          "Loads users.csv and viewing_sessions.csv into the source database once, each file atomically, then each day batch up to the run's logical date in one transaction.",
        upstream: ['generate_data', 'create_postgres_tables'],
        triggerRule: 'none_failed',
        retries: 2,
        retryDelayMs: 2_000,
        pool: 'source_postgres',
        async run({ params, signal, logger }) {
          const p = pipelineParamsSchema.parse(params);
          const { source, plausibility } = resources();
          return withAssets(
            await applyPostgresBatches(source, {
              dataDir: dataSetDir(resources().dataDir, p),
              through: p.logicalDate,
              allowEmpty: p.allowEmpty ?? false,
              ...(plausibility === undefined ? {} : { plausibility }),
              signal,
              logger,
            }),
            ['source:public.users', 'source:public.viewing_sessions'],
          );
        },
      },
      extract_to_warehouse: {
        description: 'Extracts the three streams incrementally into the warehouse schema raw.',
        upstream: ['load_json_to_mongo', 'load_csvs_to_postgres'],
        retries: 2,
        retryDelayMs: 2_000,
        pool: 'warehouse',
        async run({ params, signal, logger }) {
          const { source, mongo, warehouse, extractLookbackSeconds } = resources();
          const report = await extractToWarehouse({
            source,
            mongo,
            warehouse,
            fullRefresh: pipelineParamsSchema.parse(params).fullRefresh,
            lookbackSeconds: extractLookbackSeconds ?? 0,
            signal,
            logger,
          });
          return {
            ...report,
            materializations: report.streams.map((s) => ({
              asset: `raw.${s.stream}`,
              rows: s.rowsWritten,
              metadata: { loadId: s.loadId, cursorTo: s.cursorTo },
            })),
          };
        },
      },
      check_source_freshness: {
        description:
          "dbt's source freshness of raw as of the run's data interval: a warning logs and passes, an error fails and holds the transform back.",
        upstream: ['extract_to_warehouse'],
        pool: 'warehouse',
        run: ({ params, logger }) => {
          const p = pipelineParamsSchema.parse(params);
          return checkSourceFreshnessTask({
            warehouse: resources().warehouse,
            logicalDate: p.logicalDate,
            allowEmpty: p.allowEmpty ?? false,
            logger,
          });
        },
      },
      transform_with_models: {
        description:
          'Builds and tests the trusted star schema; a failed model and its descendants are not published.',
        upstream: ['check_source_freshness'],
        retries: 1,
        retryDelayMs: 2_000,
        pool: 'warehouse',
        async run({ params, signal, logger }) {
          const { warehouse, targetDir } = resources();
          const result = await buildModels(createKysely(warehouse), {
            models,
            fullRefresh: pipelineParamsSchema.parse(params).fullRefresh,
            // Models whose raw tables no load changed since their last build are skipped.
            sourceVersions: await readSourceVersions(warehouse),
            artifactsDir: join(targetDir, 'models'),
            runsDir: join(targetDir, 'runs'),
            signal,
            logger,
          });
          if (result.status === 'error') throw modelBuildError(result);
          return {
            ...result,
            materializations: result.models.map((m) => ({
              asset: `${result.targetSchema}.${m.name}`,
              rows: m.rows,
              metadata: { materialization: m.materialization, mode: m.mode ?? null },
            })),
          };
        },
      },
      quality_report: {
        description:
          'Writes the data quality report (JSON and Markdown): rows per stream, rejects, tests, orphans.',
        upstream: ['transform_with_models'],
        triggerRule: 'all_done',
        async run({ runId, logger }) {
          const { source, warehouse, mongo, targetDir } = resources();
          const report = await writeQualityReport({
            source,
            warehouse,
            mongo,
            outDir: join(targetDir, 'quality'),
            modelsDir: join(targetDir, 'models'),
            runId,
            logger,
          });
          return {
            ...report,
            materializations: report.files.map((file) => ({ asset: `file:${file}`, rows: null })),
          };
        },
      },
    },
  });
}

export type PipelineDag = ReturnType<typeof createPipelineDag>;
