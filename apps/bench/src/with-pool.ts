import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';

/** Opens a small pool on `url` for `work` and always ends it. */
export async function withPool<T>(url: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool({ url, max: 4, applicationName: 'reelhouse-bench' });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** `select count(*)` of a table whose name the bench itself chose (never user input). */
export async function countRows(pool: pg.Pool, table: string): Promise<number> {
  const result = await pool.query<{ n: string | number }>(`select count(*) as n from ${table}`);
  return Number(result.rows[0]?.n ?? 0);
}
