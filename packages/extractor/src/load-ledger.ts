import type { NewRawLoad, RawRejectedRowsTable } from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';
import type pg from 'pg';

import { rawQueryBuilder, runCompiled } from './raw-query-builder.ts';

/** Writes one `raw._loads` row: inside the load's transaction when it succeeds, after its rollback when it fails. */
export async function recordLoad(
  client: pg.ClientBase | pg.Pool,
  load: Omit<NewRawLoad, 'warnings'> & { readonly warnings: readonly string[] },
): Promise<void> {
  // pg would send a JS array as a PostgreSQL array: jsonb needs JSON text.
  await runCompiled(
    client,
    rawQueryBuilder
      .insertInto('raw._loads')
      .values({ ...load, warnings: JSON.stringify(load.warnings) }),
  );
}

/** Writes the records a failed load could not land into `raw._rejected_rows`, with why. */
export async function recordRejectedRows(
  client: pg.ClientBase | pg.Pool,
  rows: readonly Insertable<RawRejectedRowsTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await runCompiled(client, rawQueryBuilder.insertInto('raw._rejected_rows').values([...rows]));
}
