import { ReelhouseError } from '@reelhouse/core';
import type pg from 'pg';

// Load bookkeeping (ids, clocks) differs between two runs by design, and so does the time a source
// wrote a row (`_changed_at`); every other column must match.
const volatileColumns = ['_load_id', '_extracted_at', '_changed_at'];

/** Per table: row count and an order-free sum of 64-bit row hashes (no sort, so it scales to 10M rows). */
export type SchemaFingerprint = Readonly<Record<string, string>>;

/** Fingerprints every base table of `schema` except ledgers (`_…`), load bookkeeping columns left out. */
export async function fingerprintSchema(pool: pg.Pool, schema: string): Promise<SchemaFingerprint> {
  const tables = await pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = $1 and table_type = 'BASE TABLE' and left(table_name, 1) <> '_'
      order by table_name`,
    [schema],
  );
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const columns = await pool.query<{ column: string }>(
      `select quote_ident(column_name) as column from information_schema.columns
        where table_schema = $1 and table_name = $2 and column_name <> all($3) order by ordinal_position`,
      [schema, name, volatileColumns],
    );
    const list = columns.rows.map((c) => c.column).join(', ');
    const { rows } = await pool.query<{ value: string }>(
      `select count(*) || ':' || coalesce(sum(hashtextextended(t::text, 7)::numeric), 0) as value
         from (select ${list} from ${schema}.${name}) t`,
    );
    result[name] = rows[0]?.value ?? '';
  }
  return result;
}

/** Fails naming every table whose fingerprint differs (or exists on one side only). */
export function requireSameFingerprint(options: {
  expected: SchemaFingerprint;
  actual: SchemaFingerprint;
  what: string;
}): void {
  const names = [...new Set([...Object.keys(options.expected), ...Object.keys(options.actual)])];
  const differing = names.filter((name) => options.expected[name] !== options.actual[name]).sort();
  if (differing.length > 0)
    throw new ReelhouseError({
      code: 'internal',
      message: `${options.what}: tables differ: ${differing.join(', ')}`,
      context: { differing },
    });
}
