import type { TestPostgres } from '@reelhouse/services/testing';
import type { Kysely } from 'kysely';
import pg from 'pg';

/**
 * Destroys a Kysely instance and waits until its server sessions are gone: pg's pool resolves
 * `end()` before the sockets close, and the test database's forced drop would otherwise hit a
 * closing client (an unhandled FATAL 57P01).
 */
export async function closeKysely(
  db: Pick<Kysely<unknown>, 'destroy'>,
  database: TestPostgres,
): Promise<void> {
  await db.destroy();
  const client = new pg.Client({ connectionString: database.serverUrl });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const result = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [database.name],
      );
      if (result.rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}
