import { ReelhouseError } from '@reelhouse/core';

import type { BenchContext } from './bench-context.ts';
import { countRows, withPool } from './with-pool.ts';

/** Creates the source tables once per invocation (the loaders' own DDL). */
export async function ensureSourceTables(context: BenchContext): Promise<void> {
  await context.once('source-tables', async () => {
    const { createPostgresTables } = await import('@reelhouse/loaders');
    await withPool(context.databases.source, (pool) =>
      createPostgresTables(pool, { logger: context.logger }),
    );
  });
}

/** Row counts of the source tables against the manifest: true when both hold the whole data set. */
export async function sourceHoldsDataSet(context: BenchContext): Promise<boolean> {
  const { counts } = context.dataSet.manifest;
  return withPool(context.databases.source, async (pool) => {
    const [users, sessions] = [
      await countRows(pool, 'public.users'),
      await countRows(pool, 'public.viewing_sessions'),
    ];
    return users === counts.users && sessions === counts.viewing_sessions;
  });
}

/** Fails unless the source tables hold exactly the data set: a contender that loaded less is broken, not fast. */
export async function verifySourceLoaded(context: BenchContext, contender: string): Promise<void> {
  if (!(await sourceHoldsDataSet(context))) {
    throw new ReelhouseError({
      code: 'internal',
      message: `${contender}: the source tables do not hold the data set's rows after the run`,
      context: { contender },
    });
  }
}

/**
 * Loads the data set into the source (PostgreSQL through the loaders, MongoDB content too), untimed,
 * unless it is there already: the set-up of the extract and transform stages.
 */
export async function ensureSourceLoaded(context: BenchContext): Promise<void> {
  await ensureSourceTables(context);
  const loaders = await import('@reelhouse/loaders');
  if (!(await sourceHoldsDataSet(context))) {
    context.logger.info({ dataSet: context.dataSet.dir }, 'set-up: loading the source tables');
    await withPool(context.databases.source, async (pool) => {
      await pool.query('truncate public.users, public.viewing_sessions');
      await loaders.loadCsvsToPostgres(pool, {
        dataDir: context.dataSet.dir,
        logger: context.logger,
      });
    });
  }
  await context.once('mongo-loaded', async () => {
    context.logger.info(
      { database: context.databases.mongoDb },
      'set-up: loading content into MongoDB',
    );
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(context.databases.mongoUrl);
    try {
      const db = client.db(context.databases.mongoDb);
      await loaders.createMongoCollections(db, { logger: context.logger });
      await loaders.loadJsonToMongo(db, { dataDir: context.dataSet.dir, logger: context.logger });
    } finally {
      await client.close();
    }
  });
}
