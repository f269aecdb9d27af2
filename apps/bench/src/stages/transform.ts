import { join } from 'node:path';

import { ReelhouseError, type Logger } from '@reelhouse/core';
import { readSourceVersions } from '@reelhouse/extractor';
import { buildModels } from '@reelhouse/model-compiler';
import { models } from '@reelhouse/models';
import { createKysely, createPool } from '@reelhouse/warehouse';
import { z } from 'zod';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { libpqEnv } from '../libpq-env.ts';
import { measureCommand } from '../measure-command.ts';
import { partNote } from '../part-notes.ts';
import { runContenders } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import type { StageModule } from '../stage-module.ts';
import { ensureRawExtracted, verifyWarehouseRows } from '../warehouse-setup.ts';
import { countRows, withPool } from '../with-pool.ts';

const buildJob = z.strictObject({ warehouseUrl: z.string(), fullRefresh: z.boolean() });

/** Schema the hand-written SQL builds into (psql variable `:target`), beside `trusted`. */
export const sqlTargetSchema = 'bench_sql';

/** `packages/models/bench/star-schema.sql`: the same transforms as one hand-written script. */
export function starSchemaScript(repoRoot: string): string {
  return join(repoRoot, 'packages', 'models', 'bench', 'star-schema.sql');
}

/** Leaves `trusted` built from the data set: the transform stage does it; alone, a stage builds it first (untimed). */
export async function ensureTrustedBuilt(context: BenchContext): Promise<void> {
  // The bench's databases are new in every invocation: a built trusted is this data set's, and the
  // source need not be loaded again (the incremental stage adds sessions to it).
  const built = await withPool(context.databases.warehouse, async (pool) => {
    const result = await pool.query<{ built: boolean }>(
      `select to_regclass('trusted.fact_viewing_session') is not null as built`,
    );
    return result.rows[0]?.built === true;
  });
  if (built) {
    // A kept warehouse (`--reuse`) may predate models added since: an incremental build adds them
    // and skips the models already up to date.
    if (context.options.reuse)
      await context.once('trusted-refreshed', async () => {
        context.logger.info({}, 'set-up: incremental build of the kept warehouse');
        await buildAllModels({
          warehouseUrl: context.databases.warehouse,
          fullRefresh: false,
          logger: context.logger,
        });
      });
    return;
  }
  await ensureRawExtracted(context);
  context.logger.info({}, 'set-up: first full build of the models');
  await buildAllModels({
    warehouseUrl: context.databases.warehouse,
    fullRefresh: true,
    logger: context.logger,
  });
}

/** Runs `buildModels` over every model in this process; an unsuccessful build throws with the failing models named. */
export async function buildAllModels(options: {
  warehouseUrl: string;
  fullRefresh: boolean;
  logger: Logger;
}): Promise<{ rows: number; parts: Record<string, number> }> {
  const pool = createPool({ url: options.warehouseUrl, applicationName: 'reelhouse-bench-build' });
  const db = createKysely<unknown>(pool);
  try {
    // A full build rebuilds every model, the SCD2 dim_user protected against full refresh
    // included: the same work as the hand-written script.
    const result = await buildModels(db, {
      models,
      fullRefresh: options.fullRefresh,
      forceFullRefresh: options.fullRefresh,
      // As `pnpm pipeline` runs it: without a full refresh, models whose raw tables no load
      // changed since their last build are skipped; every build records what it read.
      sourceVersions: await readSourceVersions(pool),
      logger: options.logger,
    });
    if (result.status !== 'success') {
      const failed = result.models
        .filter((m) => m.status !== 'success')
        .map(
          (m) =>
            `${m.name}: ${m.status}${m.error === undefined || m.status === 'skipped' ? '' : ` (${m.error.message})`}`,
        );
      throw new ReelhouseError({
        code: 'query_failed',
        message: `buildModels ended ${result.status}: ${failed.join('; ')}`,
        context: { failed },
      });
    }
    // Per-model build times: where a slow build spends its time.
    return {
      rows: result.rowsWritten,
      parts: Object.fromEntries(result.models.map((m) => [m.name, m.durationMs])),
    };
  } finally {
    await db.destroy();
  }
}

/** Full transforms: `buildModels` (every model, full refresh) against the hand-written star-schema SQL run with `psql`. */
export const transformStage: StageModule = {
  name: 'transform',
  async run(context: BenchContext) {
    const { databases, paths } = context;
    await ensureRawExtracted(context);
    const sessions = await withPool(databases.warehouse, (pool) =>
      countRows(pool, 'raw.viewing_sessions'),
    );
    const script = starSchemaScript(paths.repoRoot);
    const psql = `psql -X -q -v ON_ERROR_STOP=1 -v target=${sqlTargetSchema} -f '${script}'`;
    const [ours, baseline] = await runContenders({
      ...contenderSettings(context, 'transform'),
      contenders: [
        childContender({
          name: 'reelhouse buildModels',
          stage: 'transform',
          job: { warehouseUrl: databases.warehouse, fullRefresh: true },
          verify: () =>
            verifyWarehouseRows(context, {
              table: 'trusted.fact_viewing_session',
              expected: sessions,
              contender: 'reelhouse buildModels',
            }),
        }),
        {
          name: 'psql star-schema.sql',
          measure: async () => {
            const { wallMs, maxRssMb } = await measureCommand(psql, libpqEnv(databases.warehouse));
            return { ms: wallMs, maxRssMb };
          },
          verify: () =>
            verifyWarehouseRows(context, {
              table: `${sqlTargetSchema}.fact_viewing_session`,
              expected: sessions,
              contender: 'psql star-schema.sql',
            }),
        },
      ],
    });
    if (ours === undefined || baseline === undefined)
      throw new Error('transform: contenders missing');
    return {
      stage: 'transform',
      rows: sessions,
      ours,
      baselines: [baseline],
      targets: [
        {
          baseline: 'psql star-schema.sql',
          minRatio: 1 / 1.3,
          description: 'full build ≤ 1.3× hand-written SQL (ratio ≥ 0.77)',
        },
      ],
      maxRssMb: 250,
      profile: ours.profile,
      notes: [
        ...[partNote(ours)].filter((note) => note !== undefined),
        'rows = raw viewing sessions (one fact row each, checked after every run for both contenders)',
        `buildModels rebuilds every model (fullRefresh + forceFullRefresh: the SCD2 dim_user too) into a staging schema, tests, and swaps into trusted; the SQL script drops and rebuilds schema ${sqlTargetSchema} in one transaction (its own first statements, inside the timed run)`,
      ],
    };
  },
  async child(job, logger) {
    const options = buildJob.parse(job);
    return buildAllModels({ ...options, logger });
  },
};
