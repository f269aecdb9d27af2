import type pg from 'pg';

/**
 * Ends a pool and waits until every connection has really closed: `pool.end()` resolves before
 * the sockets do, and a database dropped in that gap kills them with an unhandled FATAL 57P01.
 */
export async function closePool(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      open -= 1;
      if (open === 0) resolve();
    });
  });
  await pool.end();
  await closed;
}
