import { databaseName } from './libpq-env.ts';
import { withPool } from './with-pool.ts';

/**
 * Makes every new session of the scratch database `url` log the EXPLAIN ANALYZE plan of each
 * statement over `minDurationMs` into the server log (auto_explain, superuser only). Only the bench's
 * own database changes; the setting goes with it when the next run recreates it.
 */
export async function enableAutoExplain(options: {
  url: string;
  minDurationMs: number;
  /** The bench's database prefix (`--db-prefix`): no other database is ever changed. */
  prefix: string;
}): Promise<void> {
  const name = databaseName(options.url);
  if (!name.startsWith(`${options.prefix}_`) || !/^[a-z0-9_]+$/.test(name))
    throw new Error(`auto_explain only on a bench scratch database, not ${name}`);
  await withPool(options.url, async (pool) => {
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = '${Math.round(options.minDurationMs)}ms'`,
      `auto_explain.log_analyze = on`,
      `auto_explain.log_buffers = on`,
      `auto_explain.log_nested_statements = on`,
    ]) {
      await pool.query(`alter database ${name} set ${setting}`);
    }
  });
}
