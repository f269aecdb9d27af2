import { ensureRawTables, extractToWarehouse } from '@reelhouse/extractor';
import { createPool } from '@reelhouse/warehouse';
import { MongoClient } from 'mongodb';
import { z } from 'zod';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { databaseName, libpqEnv } from '../libpq-env.ts';
import { measureCommand } from '../measure-command.ts';
import { runContenders, type Contender } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import { ensureSourceLoaded } from '../source-setup.ts';
import type { StageModule } from '../stage-module.ts';
import { sourceRows, verifyWarehouseRows } from '../warehouse-setup.ts';
import { withPool } from '../with-pool.ts';

const extractJob = z.strictObject({
  sourceUrl: z.string(),
  warehouseUrl: z.string(),
  mongoUrl: z.string(),
  mongoDb: z.string(),
});

/** The baseline's target: the source table's columns, types and key, in a schema of its own. */
const baselineTable = 'bench_baseline.viewing_sessions';

async function createBaselineTable(context: BenchContext): Promise<string[]> {
  const columns = await withPool(context.databases.source, async (pool) => {
    const result = await pool.query<{ name: string; type: string; not_null: boolean }>(
      `select attname as name, format_type(atttypid, atttypmod) as type, attnotnull as not_null
         from pg_attribute where attrelid = 'public.viewing_sessions'::regclass and attnum > 0 and not attisdropped order by attnum`,
    );
    return result.rows;
  });
  await withPool(context.databases.warehouse, async (pool) => {
    await pool.query('create schema if not exists bench_baseline');
    await pool.query(`drop table if exists ${baselineTable}`);
    const definitions = columns.map((c) => `${c.name} ${c.type}${c.not_null ? ' not null' : ''}`);
    await pool.query(
      `create table ${baselineTable} (${definitions.join(', ')}, primary key (session_id))`,
    );
  });
  return columns.map((c) => c.name);
}

/** PostgreSQL source → raw: `extractToWarehouse` (viewing_sessions, full refresh) against a `psql` COPY pipe between the same databases. */
export const extractStage: StageModule = {
  name: 'extract',
  async run(context: BenchContext) {
    const { databases } = context;
    await ensureSourceLoaded(context);
    await withPool(databases.warehouse, (pool) => ensureRawTables(pool));
    const columns = await createBaselineTable(context);
    const rows = await sourceRows(context, 'public.viewing_sessions');
    const list = columns.join(', ');
    const pipe = (format: 'text' | 'binary') =>
      [
        `psql -X -q -v ON_ERROR_STOP=1 -d ${databaseName(databases.source)} -c "copy (select ${list} from public.viewing_sessions) to stdout (format ${format})"`,
        `psql -X -q -v ON_ERROR_STOP=1 -d ${databaseName(databases.warehouse)} -c "copy ${baselineTable} (${list}) from stdin (format ${format})"`,
      ].join(' | ');
    const pipeContender = (format: 'text' | 'binary'): Contender => ({
      name: `psql COPY pipe (${format})`,
      prepare: () =>
        withPool(
          databases.warehouse,
          async (pool) => void (await pool.query(`truncate ${baselineTable}`)),
        ),
      measure: async () => {
        const { wallMs, maxRssMb } = await measureCommand(pipe(format), libpqEnv(databases.source));
        return { ms: wallMs, maxRssMb };
      },
      verify: () =>
        verifyWarehouseRows(context, {
          table: baselineTable,
          expected: rows,
          contender: `psql COPY pipe (${format})`,
        }),
    });
    const [ours, text, binary] = await runContenders({
      ...contenderSettings(context, 'extract'),
      contenders: [
        childContender({
          name: 'reelhouse extractToWarehouse',
          stage: 'extract',
          job: {
            sourceUrl: databases.source,
            warehouseUrl: databases.warehouse,
            mongoUrl: databases.mongoUrl,
            mongoDb: databases.mongoDb,
          },
          verify: () =>
            verifyWarehouseRows(context, {
              table: 'raw.viewing_sessions',
              expected: rows,
              contender: 'reelhouse extractToWarehouse',
            }),
        }),
        pipeContender('text'),
        pipeContender('binary'),
      ],
    });
    if (ours === undefined || text === undefined || binary === undefined)
      throw new Error('extract: contenders missing');
    return {
      stage: 'extract',
      rows,
      ours,
      baselines: [text, binary],
      targets: [
        {
          baseline: 'psql COPY pipe (text)',
          minRatio: 0.8,
          description: '≥ 0.8× psql COPY pipe (text: the plain pipe)',
        },
        {
          baseline: 'psql COPY pipe (binary)',
          minRatio: 0.8,
          description: "≥ 0.8× psql COPY pipe (binary: the extractor's own format)",
        },
      ],
      maxRssMb: 250,
      profile: ours.profile,
      notes: [
        'viewing_sessions only, full refresh each run; the pipes copy into a truncated table with the same columns and primary key',
        'the extractor truncates raw, drops its key and indexes, pipes COPY (binary when the column types allow) with load metadata into it, rebuilds the key and indexes, and records the ledger and the cursor in the same transaction; the ledger and cursor are work the pipes do not do',
      ],
    };
  },
  async child(job, logger) {
    const options = extractJob.parse(job);
    const source = createPool({
      url: options.sourceUrl,
      applicationName: 'reelhouse-bench-extract',
    });
    const warehouse = createPool({
      url: options.warehouseUrl,
      applicationName: 'reelhouse-bench-extract',
    });
    const mongo = new MongoClient(options.mongoUrl);
    try {
      const report = await extractToWarehouse({
        source,
        warehouse,
        mongo: mongo.db(options.mongoDb),
        streams: ['viewing_sessions'],
        fullRefresh: true,
        logger,
      });
      return { rows: report.rowsWritten };
    } finally {
      await Promise.all([source.end(), warehouse.end(), mongo.close()]);
    }
  },
};
