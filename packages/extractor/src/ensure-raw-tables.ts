import { classifyError } from '@reelhouse/core';
import type pg from 'pg';

import { rawTableDdl } from './raw-table-ddl.ts';

// Concurrent `create table if not exists` can still collide in the catalog: one DDL run at a time.
const ddlLockKey = 'reelhouse.raw.ddl';

/** Creates schema `raw` and every raw table and index that is missing, in one transaction; rerunnable. */
export async function ensureRawTables(warehouse: pg.Pool): Promise<void> {
  const client = await warehouse.connect().catch((error: unknown) => {
    throw classifyError(error, { step: 'ensureRawTables', database: 'warehouse' });
  });
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [ddlLockKey]);
    for (const statement of rawTableDdl) await client.query(statement);
    await client.query('commit');
    client.release();
  } catch (error) {
    client.release(true);
    throw classifyError(error, { step: 'ensureRawTables' });
  }
}
