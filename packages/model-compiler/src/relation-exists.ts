import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';

/** Whether a schema-qualified relation (`trusted.dim_user`, `ops.model_state`) exists. */
export async function relationExists(db: AnyKysely, relation: string): Promise<boolean> {
  const { rows } = await sql<{
    exists: boolean;
  }>`select to_regclass(${relation}) is not null as "exists"`.execute(db);
  return rows[0]?.exists === true;
}
