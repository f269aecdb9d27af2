import type pg from 'pg';

import type { SourceTable } from './source-table.ts';

export interface MergeCounts {
  readonly inserted: number;
  readonly updated: number;
}

/**
 * Merges a staging table into the source table by primary key: new keys are inserted, changed
 * rows updated, identical rows left alone, so loading the same file twice changes nothing.
 */
export async function mergeStagedRows(
  client: pg.PoolClient,
  options: { spec: SourceTable; staging: string },
): Promise<MergeCounts> {
  const { spec, staging } = options;
  const names = spec.columns.map((column) => column.name);
  const others = names.filter((name) => name !== spec.key);
  const list = names.join(', ');
  const sql = `WITH merged AS (
  INSERT INTO public.${spec.table} AS target (${list})
  SELECT ${list} FROM ${staging}
  ON CONFLICT (${spec.key}) DO UPDATE SET ${others.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}
  WHERE (${others.map((name) => `target.${name}`).join(', ')}) IS DISTINCT FROM (${others.map((name) => `EXCLUDED.${name}`).join(', ')})
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`;
  const result = await client.query<MergeCounts>(sql);
  return result.rows[0] ?? { inserted: 0, updated: 0 };
}
