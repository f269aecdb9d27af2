import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { dataFiles } from '@reelhouse/contracts';
import { loadCsvsToPostgres } from '@reelhouse/loaders';
import { createPool } from '@reelhouse/warehouse';
import { z } from 'zod';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { libpqEnv } from '../libpq-env.ts';
import { measureCommand } from '../measure-command.ts';
import { runContenders, type Contender } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import { ensureSourceTables, verifySourceLoaded } from '../source-setup.ts';
import type { StageModule } from '../stage-module.ts';
import { tableColumns, type TableColumn } from '../table-columns.ts';
import { withPool } from '../with-pool.ts';

const loadJob = z.strictObject({ sourceUrl: z.string(), dataDir: z.string() });

const files = [
  { file: dataFiles.users, table: 'users' },
  { file: dataFiles.viewingSessions, table: 'viewing_sessions' },
] as const;

/** `\copy` with the loader's own CSV reading: an empty cell, quoted or not, is NULL in nullable columns. */
function copyCommand(options: {
  table: string;
  path: string;
  columns: readonly TableColumn[];
}): string {
  const nullable = options.columns.filter((c) => c.nullable).map((c) => c.name);
  const forceNull = nullable.length === 0 ? '' : `, force_null (${nullable.join(', ')})`;
  const meta = `\\copy public.${options.table} (${options.columns.map((c) => c.name).join(', ')}) from '${options.path}' with (format csv, header true${forceNull})`;
  return `-c "${meta}"`;
}

/** A pgloader command file for one CSV: same table, same columns, blanks as NULL where allowed. */
function pgloaderCommand(options: {
  table: string;
  path: string;
  columns: readonly TableColumn[];
  target: string;
}): string {
  const fields = options.columns
    .map((c) => (c.nullable ? `${c.name} [null if blanks]` : c.name))
    .join(', ');
  return [
    'LOAD CSV',
    `  FROM '${options.path}' (${fields})`,
    `  INTO ${options.target}`,
    `  TARGET TABLE public.${options.table}`,
    `  TARGET COLUMNS (${options.columns.map((c) => c.name).join(', ')})`,
    `  WITH truncate, skip header = 1, fields optionally enclosed by '"', fields escaped by double-quote, fields terminated by ','`,
    ';',
    '',
  ].join('\n');
}

/** CSV into PostgreSQL: `loadCsvsToPostgres` against `psql \copy` (the practical limit) and pgloader, same files, same tables. */
export const loadCsvStage: StageModule = {
  name: 'load_csv',
  async run(context: BenchContext) {
    const { dataSet, databases, paths } = context;
    await ensureSourceTables(context);
    const columns = await withPool(databases.source, async (pool) => {
      const found = new Map<string, TableColumn[]>();
      for (const { table } of files)
        found.set(
          table,
          // The source's change markers (`_change_seq`...) are set by its trigger, not the file.
          (await tableColumns(pool, { schema: 'public', table })).filter(
            (column) => !column.name.startsWith('_'),
          ),
        );
      return found;
    });
    const columnsOf = (table: string) => columns.get(table) ?? [];
    const env = libpqEnv(databases.source);
    const truncate = () =>
      withPool(
        databases.source,
        async (pool) => void (await pool.query('truncate public.users, public.viewing_sessions')),
      );
    const psqlCopy = `psql -X -q -v ON_ERROR_STOP=1 ${files.map(({ file, table }) => copyCommand({ table, path: join(dataSet.dir, file), columns: columnsOf(table) })).join(' ')}`;
    const target = `postgresql://${encodeURIComponent(env.PGUSER)}@${env.PGHOST}:${env.PGPORT}/${env.PGDATABASE}`;
    const loadFiles = files.map(({ table }) => join(paths.workDir, `pgloader-${table}.load`));
    files.forEach(({ file, table }, index) => {
      writeFileSync(
        loadFiles[index] ?? '',
        pgloaderCommand({
          table,
          path: join(dataSet.dir, file),
          columns: columnsOf(table),
          target,
        }),
      );
    });
    const shell = (name: string, command: string): Contender => ({
      name,
      prepare: truncate,
      measure: async () => {
        const { wallMs, maxRssMb } = await measureCommand(command, env);
        return { ms: wallMs, maxRssMb };
      },
      verify: () => verifySourceLoaded(context, name),
    });
    const results = await runContenders({
      ...contenderSettings(context, 'load_csv'),
      contenders: [
        shell('psql \\copy', psqlCopy),
        // ~10× slower than \copy: one run, no warm-up (its warm-up would only warm the same page cache).
        {
          ...shell('pgloader', loadFiles.map((file) => `pgloader --quiet '${file}'`).join(' && ')),
          runs: 1,
          warmup: false,
        },
        // Last, so the source tables end up loaded by Reelhouse for the next stages.
        childContender({
          name: 'reelhouse loadCsvsToPostgres',
          stage: 'load_csv',
          job: { sourceUrl: databases.source, dataDir: dataSet.dir },
          prepare: truncate,
          verify: () => verifySourceLoaded(context, 'reelhouse loadCsvsToPostgres'),
        }),
      ],
    });
    for (const file of loadFiles) rmSync(file, { force: true });
    const [copy, pgloader, ours] = results;
    if (copy === undefined || pgloader === undefined || ours === undefined)
      throw new Error('load_csv: contenders missing');
    return {
      stage: 'load_csv',
      rows: dataSet.csvRows,
      ours,
      baselines: [copy, pgloader],
      targets: [
        { baseline: 'psql \\copy', minRatio: 0.8, description: '≥ 0.8× psql \\copy' },
        { baseline: 'pgloader', minRatio: 1, description: 'faster than pgloader' },
      ],
      maxRssMb: 250,
      profile: ours.profile,
      notes: [
        'users.csv then viewing_sessions.csv into the truncated source tables (constraints and indexes in place) by every contender; rows = both files',
        `pgloader ran once (no warm-up): it takes ~10× longer than \\copy; its median is that single run`,
      ],
    };
  },
  async child(job, logger) {
    const { sourceUrl, dataDir } = loadJob.parse(job);
    const pool = createPool({ url: sourceUrl, applicationName: 'reelhouse-bench-load' });
    try {
      const report = await loadCsvsToPostgres(pool, { dataDir, logger });
      return { rows: report.rowsWritten };
    } finally {
      await pool.end();
    }
  },
};
