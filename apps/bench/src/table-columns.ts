import type pg from 'pg';

export interface TableColumn {
  readonly name: string;
  readonly nullable: boolean;
}

/** A table's columns in catalog order, so baselines load exactly the columns the Reelhouse step loads. */
export async function tableColumns(
  pool: pg.Pool,
  options: { schema: string; table: string },
): Promise<TableColumn[]> {
  const result = await pool.query<{ name: string; nullable: boolean }>(
    `select column_name as name, is_nullable = 'YES' as nullable
       from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [options.schema, options.table],
  );
  return result.rows;
}
