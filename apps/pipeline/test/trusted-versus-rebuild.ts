import { sql } from 'kysely';
import type pg from 'pg';

import { buildModels } from '@reelhouse/model-compiler';
import { models } from '@reelhouse/models';
import { createKysely } from '@reelhouse/warehouse';

import { rowDifferences, type RowDifferences } from './row-differences.ts';

/** A table of `trusted` whose rows differ from the same table rebuilt from scratch, and how. */
export interface TrustedDifference extends RowDifferences {
  readonly table: string;
}

export interface TrustedVersusRebuild {
  /** The tables compared: every base table `trusted` holds. */
  readonly tables: readonly string[];
  readonly differences: readonly TrustedDifference[];
}

async function rowsOf(pool: pg.Pool, schema: string, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    `select to_jsonb(t)::text as row from ${schema}.${table} t`,
  );
  return rows.map((row) => row.row);
}

/**
 * Builds every model from scratch into `schema` of the same warehouse (what
 * `models build --force-full-refresh` makes of the same raw), then compares each base table of
 * `trusted` with its rebuilt twin row for row, every column included (no column derives from the
 * build's clock). `onlyLeft` is trusted's side, `onlyRight` the rebuild's.
 */
export async function trustedVersusRebuild(
  warehouse: pg.Pool,
  schema = 'rebuilt',
): Promise<TrustedVersusRebuild> {
  const db = createKysely(warehouse);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  const result = await buildModels(db, {
    models,
    targetSchema: schema,
    fullRefresh: true,
    forceFullRefresh: true,
  });
  const failed = result.models.filter((m) => m.status !== 'success');
  if (!result.published || failed.length > 0)
    throw new Error(
      `the rebuild from scratch did not publish: ${JSON.stringify(failed.map((m) => [m.name, m.error]))}`,
    );
  const { rows } = await warehouse.query<{ table: string }>(
    `select table_name as table from information_schema.tables
     where table_schema = 'trusted' and table_type = 'BASE TABLE' order by table_name`,
  );
  const tables = rows.map((row) => row.table);
  const differences: TrustedDifference[] = [];
  for (const table of tables) {
    const difference = rowDifferences(
      await rowsOf(warehouse, 'trusted', table),
      await rowsOf(warehouse, schema, table),
    );
    if (difference !== undefined) differences.push({ table, ...difference });
  }
  return { tables, differences };
}
