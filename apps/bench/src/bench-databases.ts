import type { ReelhouseConfig } from '@reelhouse/config';
import { silentLogger, type Logger } from '@reelhouse/core';
import {
  dropDatabase,
  ensureDatabase,
  resolveMongo,
  resolvePostgres,
  withDatabase,
} from '@reelhouse/services';
import { MongoClient } from 'mongodb';

/** Scratch database names under a prefix (default `rh_bench`): the bench never touches the pipeline's own databases. */
export function benchDatabaseNames(prefix: string) {
  return {
    source: `${prefix}_source`,
    warehouse: `${prefix}_dw`,
    e2eSource: `${prefix}_e2e_source`,
    e2eWarehouse: `${prefix}_e2e_dw`,
    dailySource: `${prefix}_daily_source`,
    dailyWarehouse: `${prefix}_daily_dw`,
    mongo: prefix,
    e2eMongo: `${prefix}_e2e`,
    dailyMongo: `${prefix}_daily`,
  } as const;
}

export interface BenchDatabases {
  /** URL of the server's maintenance database, to drop and create scratch databases. */
  readonly serverUrl: string;
  readonly source: string;
  readonly warehouse: string;
  /** The end-to-end stage's pair: `pnpm pipeline` starts from empty databases each run. */
  readonly e2eSource: string;
  readonly e2eWarehouse: string;
  /** The daily stage's pair: a base state it snapshots and restores before every incremental run. */
  readonly dailySource: string;
  readonly dailyWarehouse: string;
  readonly mongoUrl: string;
  readonly mongoDb: string;
  readonly e2eMongoDb: string;
  readonly dailyMongoDb: string;
  /** One line per service, for the report. */
  readonly descriptions: readonly string[];
  /** Recreates one scratch PostgreSQL database empty. */
  recreate(name: string): Promise<string>;
  /** Drops one scratch MongoDB database. */
  dropMongo(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Finds PostgreSQL and a MongoDB-wire server through @reelhouse/services (configured URLs win) and
 * creates the bench's scratch databases on them, empty; with `reuse`, existing ones are kept.
 */
export async function createBenchDatabases(options: {
  config: ReelhouseConfig;
  path: string | undefined;
  /** Prefix of the scratch database names (default `rh_bench`). */
  prefix?: string;
  logger?: Logger;
  /** Keep the scratch databases of an earlier invocation with the same prefix (`--reuse`). */
  reuse?: boolean;
}): Promise<BenchDatabases> {
  const logger = options.logger ?? silentLogger;
  const names = benchDatabaseNames(options.prefix ?? 'rh_bench');
  const postgres = await resolvePostgres({
    url: options.config.warehouseDatabaseUrl,
    config: options.config,
    logger,
  });
  const mongo = await resolveMongo({ config: options.config, path: options.path, logger });
  const serverUrl = postgres.url.expose();
  const recreate = async (name: string): Promise<string> => {
    await dropDatabase(serverUrl, name);
    return ensureDatabase(serverUrl, name);
  };
  const dropMongo = async (name: string): Promise<void> => {
    const client = new MongoClient(mongo.url.expose());
    try {
      await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  };
  try {
    const keep = (name: string) => ensureDatabase(serverUrl, name);
    const [source, warehouse] =
      options.reuse === true
        ? [await keep(names.source), await keep(names.warehouse)]
        : [await recreate(names.source), await recreate(names.warehouse)];
    if (options.reuse !== true) await dropMongo(names.mongo);
    return {
      serverUrl,
      source,
      warehouse,
      e2eSource: withDatabase(serverUrl, names.e2eSource),
      e2eWarehouse: withDatabase(serverUrl, names.e2eWarehouse),
      dailySource: withDatabase(serverUrl, names.dailySource),
      dailyWarehouse: withDatabase(serverUrl, names.dailyWarehouse),
      mongoUrl: mongo.url.expose(),
      mongoDb: names.mongo,
      e2eMongoDb: names.e2eMongo,
      dailyMongoDb: names.dailyMongo,
      descriptions: [postgres.description, mongo.description],
      recreate,
      dropMongo,
      stop: async () => {
        await Promise.all([postgres.stop(), mongo.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([postgres.stop(), mongo.stop()]);
    throw error;
  }
}
