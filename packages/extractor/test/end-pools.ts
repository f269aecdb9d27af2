import type pg from 'pg';

/**
 * Ends test pools before their databases are dropped. pg-pool resolves `end()` before the sockets
 * close, and the drop (`with (force)`) then terminates those backends: the late error is expected
 * and must not surface as the pool's unhandled 'error' event.
 */
export async function endPools(pools: readonly pg.Pool[]): Promise<void> {
  for (const pool of pools) pool.on('error', () => undefined);
  await Promise.all(pools.map((pool) => pool.end()));
}
