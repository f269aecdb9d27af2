import { sql, type Kysely } from 'kysely';

import { warehouseSchemas } from './warehouse-database.ts';

/** Creates the schemas `raw`, `trusted` and `ops` if missing; rerunnable. */
export async function ensureWarehouseSchemas<Database>(db: Kysely<Database>): Promise<void> {
  for (const schema of warehouseSchemas) {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  }
}
