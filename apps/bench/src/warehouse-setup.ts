import { ReelhouseError } from '@reelhouse/core';

import type { BenchContext } from './bench-context.ts';
import { ensureSourceLoaded } from './source-setup.ts';
import { countRows, withPool } from './with-pool.ts';

/** Fails unless `table` in the warehouse holds `expected` rows: a contender that moved less is broken, not fast. */
export async function verifyWarehouseRows(
  context: BenchContext,
  options: { table: string; expected: number; contender: string },
): Promise<void> {
  const actual = await withPool(context.databases.warehouse, (pool) =>
    countRows(pool, options.table),
  );
  if (actual !== options.expected) {
    throw new ReelhouseError({
      code: 'internal',
      message: `${options.contender}: ${options.table} holds ${actual} rows after the run, expected ${options.expected}`,
      context: { contender: options.contender, table: options.table },
    });
  }
}

/** Source rows of a table in the source database (the count an extract must reproduce). */
export function sourceRows(context: BenchContext, table: string): Promise<number> {
  return withPool(context.databases.source, (pool) => countRows(pool, table));
}

/** Loads the source and runs one full extract of every stream into `raw`, untimed, once per invocation. */
export async function ensureRawExtracted(context: BenchContext): Promise<void> {
  await ensureSourceLoaded(context);
  await context.once('raw-extracted', async () => {
    context.logger.info({}, 'set-up: full extract of every stream into raw');
    const { extractToWarehouse } = await import('@reelhouse/extractor');
    const { MongoClient } = await import('mongodb');
    const mongo = new MongoClient(context.databases.mongoUrl);
    try {
      await withPool(context.databases.source, (source) =>
        withPool(context.databases.warehouse, (warehouse) =>
          extractToWarehouse({
            source,
            warehouse,
            mongo: mongo.db(context.databases.mongoDb),
            fullRefresh: true,
            logger: context.logger,
          }),
        ),
      );
    } finally {
      await mongo.close();
    }
  });
}
