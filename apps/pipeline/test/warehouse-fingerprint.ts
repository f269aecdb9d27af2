import type pg from 'pg';

// Load bookkeeping differs between two runs by design (ids, clock), and so do the source's own
// change markers: `_changed_at` (its clock) and `_change_seq` (a sequence, which a killed load's
// rolled-back writes advance for good). Every other column must match.
const volatileColumns = ['_load_id', '_extracted_at', '_changed_at', '_change_seq'];

export interface TableFingerprint {
  readonly rows: number;
  readonly md5: string;
}

/**
 * Fingerprints every base table of the given schemas except ledgers (`_loads`, `_state`...):
 * row count and md5 of all rows as text in a stable order, load bookkeeping columns left out.
 */
export async function fingerprintSchemas(
  pool: pg.Pool,
  schemas: readonly string[],
): Promise<Record<string, TableFingerprint>> {
  const tables = await pool.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_schema = any($1) and table_type = 'BASE TABLE' and left(table_name, 1) <> '_'
     order by table_schema, table_name`,
    [schemas],
  );
  const result: Record<string, TableFingerprint> = {};
  for (const { schema, name } of tables.rows) {
    const columns = await pool.query<{ column: string }>(
      `select quote_ident(column_name) as column from information_schema.columns
       where table_schema = $1 and table_name = $2 and column_name <> all($3) order by ordinal_position`,
      [schema, name, volatileColumns],
    );
    const list = columns.rows.map((c) => c.column).join(', ');
    const { rows } = await pool.query<TableFingerprint>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5
       from (select ${list} from ${schema}.${name}) t`,
    );
    result[`${schema}.${name}`] = rows[0]!;
  }
  return result;
}
