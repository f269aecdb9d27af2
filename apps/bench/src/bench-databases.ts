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

/** Scratch database names: the bench never touches the pipeline's own databases. */
export const benchDatabaseNames = {
  source: 'rh_bench_source',
  warehouse: 'rh_bench_dw',
  e2eSource: 'rh_bench_e2e_source',
  e2eWarehouse: 'rh_bench_e2e_dw',
  mongo: 'rh_bench',
  e2eMongo: 'rh_bench_e2e',
} as const;

export interface BenchDatabases {
  /** URL of the server's maintenance database, to drop and create scratch databases. */
  readonly serverUrl: string;
  readonly source: string;
  readonly warehouse: string;
  /** The end-to-end stage's pair: `pnpm pipeline` starts from empty databases each run. */
  readonly e2eSource: string;
  readonly e2eWarehouse: string;
  readonly mongoUrl: string;
  readonly mongoDb: string;
  readonly e2eMongoDb: string;
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
 * creates the bench's scratch databases on them, empty.
 */
export async function createBenchDatabases(options: {
  config: ReelhouseConfig;
  path: string | undefined;
  logger?: Logger;
}): Promise<BenchDatabases> {
  const logger = options.logger ?? silentLogger;
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
    const [source, warehouse] = [
      await recreate(benchDatabaseNames.source),
      await recreate(benchDatabaseNames.warehouse),
    ];
    await dropMongo(benchDatabaseNames.mongo);
    return {
      serverUrl,
      source,
      warehouse,
      e2eSource: withDatabase(serverUrl, benchDatabaseNames.e2eSource),
      e2eWarehouse: withDatabase(serverUrl, benchDatabaseNames.e2eWarehouse),
      mongoUrl: mongo.url.expose(),
      mongoDb: benchDatabaseNames.mongo,
      e2eMongoDb: benchDatabaseNames.e2eMongo,
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
