import { Redacted, type ReelhouseConfig } from '@reelhouse/config';
import { silentLogger, type Logger } from '@reelhouse/core';

import { ensureNamedDatabase } from './ensure-named-database.ts';
import { ensureDatabase } from './postgres-databases.ts';
import { ensureMongo, resolveMongo } from './resolve-mongo.ts';
import { resolvePostgres } from './resolve-postgres.ts';
import type { ResolvedService } from './resolved-service.ts';

/** Database names used when Reelhouse creates its databases on a server it found. */
export const defaultDatabaseNames = {
  source: 'streaming_source',
  warehouse: 'streaming_dw',
  mongo: 'streaming',
} as const;

export interface ResolvedServices {
  /** URL of the source database: SOURCE_DATABASE_URL, or `streaming_source` created on a found server. */
  readonly sourceDatabaseUrl: Redacted;
  /** URL of the warehouse database: WAREHOUSE_DATABASE_URL, or `streaming_dw` created on a found server. */
  readonly warehouseDatabaseUrl: Redacted;
  /** URL of the MongoDB-wire server (the database name is chosen by the caller, `streaming` by default). */
  readonly mongoUrl: Redacted;
  /**
   * Checks the MongoDB-wire server: a persistent local one that died is restarted on its data and
   * port, so clients of `mongoUrl` reconnect by themselves. A no-op for configured servers.
   */
  reviveMongo(): Promise<void>;
  /** What was used, one line each, for the CLI to print. */
  readonly descriptions: readonly string[];
  /** Stops every server this process started. */
  stop(): Promise<void>;
}

/**
 * Resolves the source database, the warehouse database and the MongoDB-wire server. A configured
 * URL is used as it is (its database created when missing); otherwise one PostgreSQL server is
 * found once and both databases are created on it. A MongoDB-wire server started here is the
 * persistent local one, reused by every later command.
 */
export async function resolveServices(options: {
  config: ReelhouseConfig;
  path: string | undefined;
  logger?: Logger;
}): Promise<ResolvedServices> {
  const logger = options.logger ?? silentLogger;
  const { config } = options;
  const started: ResolvedService[] = [];
  let server: ResolvedService | undefined;
  const databaseUrl = async (configured: Redacted | undefined, name: string): Promise<Redacted> => {
    if (configured !== undefined) {
      started.push(await resolvePostgres({ url: configured, config, logger }));
      await ensureNamedDatabase(configured.expose());
      return configured;
    }
    if (server === undefined) {
      server = await resolvePostgres({ config, logger });
      started.push(server);
    }
    return Redacted.url(await ensureDatabase(server.url.expose(), name));
  };
  try {
    const sourceDatabaseUrl = await databaseUrl(
      config.sourceDatabaseUrl,
      defaultDatabaseNames.source,
    );
    const warehouseDatabaseUrl = await databaseUrl(
      config.warehouseDatabaseUrl,
      defaultDatabaseNames.warehouse,
    );
    const mongo = await resolveMongo({ config, logger, path: options.path });
    started.push(mongo);
    const local = mongo.source === 'ferretdb' || mongo.source === 'mongod';
    return {
      sourceDatabaseUrl,
      warehouseDatabaseUrl,
      mongoUrl: mongo.url,
      reviveMongo: async () => {
        if (local) await ensureMongo({ config, logger, path: options.path });
      },
      descriptions: started.map((service) => service.description),
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(services: readonly ResolvedService[]): Promise<void> {
  await Promise.all([...new Set(services)].map((service) => service.stop()));
}
