import type pg from 'pg';

/** A column as the catalog describes it; `type` is `format_type` text, e.g. `character(2)`. */
export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
}

/** The columns of `table` (schema-qualified) in their order, or `null` when the table does not exist. */
export async function readTableColumns(
  client: pg.ClientBase,
  table: string,
): Promise<CatalogColumn[] | null> {
  const exists = await client.query<{ oid: number | null }>('select to_regclass($1)::oid as oid', [
    table,
  ]);
  const oid = exists.rows[0]?.oid ?? null;
  if (oid === null) return null;
  const result = await client.query<CatalogColumn>(
    `select attname as name, format_type(atttypid, atttypmod) as type
       from pg_attribute where attrelid = $1 and attnum > 0 and not attisdropped order by attnum`,
    [oid],
  );
  return result.rows;
}
