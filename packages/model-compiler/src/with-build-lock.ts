import { sql } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';

// First key of the two-key advisory lock: the model builds' class, distinct from other Reelhouse locks.
const modelBuildLockClass = 5_284_001;

/**
 * Runs `work` while holding the warehouse's model-build advisory lock on a connection of its own;
 * a second build of the same target schema fails at once with `lock_unavailable`.
 */
export async function withBuildLock<T>(
  db: AnyKysely,
  targetSchema: string,
  work: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${modelBuildLockClass}, hashtext(${targetSchema})) as "locked"`.execute(
      connection,
    );
    if (rows[0]?.locked !== true) {
      throw new ReelhouseError({
        code: 'lock_unavailable',
        message: `another model build of schema ${targetSchema} is running on this warehouse; wait for it to finish`,
        retryable: false,
        context: { targetSchema },
      });
    }
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${modelBuildLockClass}, hashtext(${targetSchema}))`.execute(
        connection,
      );
    }
  });
}
