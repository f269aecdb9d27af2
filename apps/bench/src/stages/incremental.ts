import { viewingSessionColumns } from '@reelhouse/contracts';
import { extractToWarehouse } from '@reelhouse/extractor';
import { createPool } from '@reelhouse/warehouse';
import { MongoClient } from 'mongodb';
import { z } from 'zod';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { partNote } from '../part-notes.ts';
import { runContenders } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import type { StageModule } from '../stage-module.ts';
import { sourceRows, verifyWarehouseRows } from '../warehouse-setup.ts';
import { countRows, withPool } from '../with-pool.ts';
import { buildAllModels, ensureTrustedBuilt } from './transform.ts';

const runJob = z.strictObject({
  sourceUrl: z.string(),
  warehouseUrl: z.string(),
  mongoUrl: z.string(),
  mongoDb: z.string(),
  full: z.boolean(),
});

/** Share of the data set's sessions added (new ids) and updated before each incremental run. */
export const newShare = 0.01;
export const updatedShare = 0.001;

/**
 * Recent activity, as a source application writing now produces it: new sessions are copies of the
 * latest ones under fresh ids, started within the last 20 hours of the data set; updated ones are
 * the most recent sessions, given one more rebuffer. Both carry an `updated_at` past every cursor.
 */
export function sourceChangeSql(options: { newRows: number; updatedRows: number }): string {
  const moved: Partial<Record<(typeof viewingSessionColumns)[number], string>> = {
    session_id: 'gen_random_uuid()',
    started_at: 'r.new_start',
    ended_at: 'r.new_start + (r.ended_at - r.started_at)',
    updated_at: '(select t from stamp)',
  };
  const copied = viewingSessionColumns.map((column) => moved[column] ?? `r.${column}`);
  return `with stamp as (
  select greatest(now(), max(updated_at) + interval '1 second') as t, max(started_at) as last_start from public.viewing_sessions
),
picked as (select session_id from public.viewing_sessions order by started_at desc limit ${options.updatedRows}),
updated as (
  update public.viewing_sessions v set rebuffer_count = v.rebuffer_count + 1, updated_at = (select t from stamp)
  from picked where v.session_id = picked.session_id returning v.session_id
),
recent as (
  select v.*, (select last_start from stamp) - random() * interval '20 hours' as new_start
    from public.viewing_sessions v order by v.started_at desc limit ${options.newRows}
)
insert into public.viewing_sessions (${viewingSessionColumns.join(', ')})
select ${copied.join(', ')} from recent r`;
}

/** Incremental: extract (every stream, by cursor) plus `buildModels` incremental, after 1% new and 0.1% updated sessions, against the full ones. */
export const incrementalStage: StageModule = {
  name: 'incremental',
  async run(context: BenchContext) {
    const { databases, dataSet } = context;
    await ensureTrustedBuilt(context);
    const sessions = dataSet.manifest.counts.viewing_sessions;
    const change = {
      newRows: Math.max(1, Math.round(sessions * newShare)),
      updatedRows: Math.max(1, Math.round(sessions * updatedShare)),
    };
    const job = {
      sourceUrl: databases.source,
      warehouseUrl: databases.warehouse,
      mongoUrl: databases.mongoUrl,
      mongoDb: databases.mongoDb,
    };
    const verify = (contender: string) => async () => {
      const expected = await sourceRows(context, 'public.viewing_sessions');
      await verifyWarehouseRows(context, { table: 'raw.viewing_sessions', expected, contender });
      await verifyWarehouseRows(context, {
        table: 'trusted.fact_viewing_session',
        expected,
        contender,
      });
    };
    const [incremental, full] = await runContenders({
      ...contenderSettings(context, 'incremental'),
      contenders: [
        childContender({
          name: 'reelhouse incremental extract + build',
          stage: 'incremental',
          job: { ...job, full: false },
          prepare: () =>
            withPool(
              databases.source,
              async (pool) => void (await pool.query(sourceChangeSql(change))),
            ),
          verify: verify('incremental'),
        }),
        childContender({
          name: 'reelhouse full extract + build',
          stage: 'incremental',
          job: { ...job, full: true },
          verify: verify('full'),
          profiled: false,
        }),
      ],
    });
    if (incremental === undefined || full === undefined)
      throw new Error('incremental: contenders missing');
    const finalRows = await withPool(databases.source, (pool) =>
      countRows(pool, 'public.viewing_sessions'),
    );
    const partNotes = [incremental, full]
      .map((c) => partNote(c, 12))
      .filter((note) => note !== undefined);
    return {
      stage: 'incremental',
      rows: change.newRows + change.updatedRows,
      ours: incremental,
      baselines: [full],
      targets: [
        {
          baseline: 'reelhouse full extract + build',
          minRatio: 10,
          part: 'build',
          description: 'incremental models build ≤ 10% of the full build (ratio ≥ 10)',
        },
        {
          baseline: 'reelhouse full extract + build',
          minRatio: 10,
          description: 'incremental extract + build ≤ 10% of full extract + build (ratio ≥ 10)',
        },
      ],
      maxRssMb: 250,
      profile: incremental.profile,
      notes: [
        `before each incremental run: ${change.newRows.toLocaleString('en-US')} new sessions (1%, started in the last 20 hours of the data set) and ${change.updatedRows.toLocaleString('en-US')} updated (0.1%, the most recent sessions) in the source; rows/s = changed rows per second (the full runs move ~${finalRows.toLocaleString('en-US')} sessions)`,
        ...partNotes,
      ],
    };
  },
  async child(job, logger) {
    const options = runJob.parse(job);
    const source = createPool({
      url: options.sourceUrl,
      applicationName: 'reelhouse-bench-incremental',
    });
    const warehouse = createPool({
      url: options.warehouseUrl,
      applicationName: 'reelhouse-bench-incremental',
    });
    const mongo = new MongoClient(options.mongoUrl);
    try {
      const started = performance.now();
      const extract = await extractToWarehouse({
        source,
        warehouse,
        mongo: mongo.db(options.mongoDb),
        fullRefresh: options.full,
        logger,
      });
      const extracted = performance.now();
      const build = await buildAllModels({
        warehouseUrl: options.warehouseUrl,
        fullRefresh: options.full,
        logger,
      });
      const built = performance.now();
      const models = Object.entries(build.parts).map(
        ([model, ms]) => [`model ${model}`, ms] as const,
      );
      return {
        rows: extract.rowsWritten,
        parts: {
          extract: extracted - started,
          build: built - extracted,
          ...Object.fromEntries(
            extract.streams.map((stream) => [`extract ${stream.stream}`, stream.durationMs]),
          ),
          ...Object.fromEntries(models),
        },
      };
    } finally {
      await Promise.all([source.end(), warehouse.end(), mongo.close()]);
    }
  },
};
