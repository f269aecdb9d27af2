import type { ReelhouseConfig } from '@reelhouse/config';
import type { Logger } from '@reelhouse/core';
import {
  defaultDatabaseNames,
  ensureDatabase,
  ensureNamedDatabase,
  mongoClientOptions,
  resolvePostgres,
  resolveServices,
  type ResolvedService,
} from '@reelhouse/services';
import { createPool } from '@reelhouse/warehouse';
import { MongoClient, type Db } from 'mongodb';
import type pg from 'pg';

import { closePool } from './close-pool.ts';

/** Connections for a command: all three databases for pipeline work, the warehouse alone for history and models. */
export interface OpenedResources {
  readonly warehouse: pg.Pool;
  /** The orchestrator's own pool: run history and the run lock, never used by a task. */
  readonly history: pg.Pool;
  readonly source: pg.Pool | undefined;
  readonly mongo: Db | undefined;
  close(): Promise<void>;
}

export interface OpenResourcesOptions {
  readonly config: ReelhouseConfig;
  readonly needs: 'all' | 'warehouse';
  readonly logger: Logger;
  /** Where the lines saying which databases were used go (stderr). */
  readonly announce: (line: string) => void;
}

/** The Mongo database of the catalogue: the URL's database when it names one, `streaming` otherwise. */
export function mongoDatabaseName(url: string): string {
  const path = URL.canParse(url) ? decodeURIComponent(new URL(url).pathname.slice(1)) : '';
  return path === '' ? defaultDatabaseNames.mongo : path;
}

function pool(options: {
  url: string;
  max: number;
  applicationName: string;
  logger: Logger;
}): pg.Pool {
  const created = createPool({
    url: options.url,
    max: options.max,
    applicationName: options.applicationName,
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  created.on('error', (error) =>
    options.logger.warn(
      { err: error.message, pool: options.applicationName },
      'idle database connection lost',
    ),
  );
  return created;
}

/**
 * Opens the command's connections: configured URLs as they are, otherwise databases found or
 * started by @reelhouse/services (announced). `close` ends them and stops servers it started.
 */
export async function openResources(options: OpenResourcesOptions): Promise<OpenedResources> {
  const { config, logger } = options;
  const stops: (() => Promise<void>)[] = [];
  let warehouseUrl: string;
  let sourceUrl: string | undefined;
  let mongoUrl: string | undefined;
  let reviveMongo: () => Promise<void> = () => Promise.resolve();
  if (options.needs === 'all') {
    // eslint-disable-next-line no-restricted-properties -- PATH locates server executables, it is not configuration
    const services = await resolveServices({ config, path: process.env['PATH'], logger });
    stops.push(() => services.stop());
    for (const line of services.descriptions) options.announce(line);
    warehouseUrl = services.warehouseDatabaseUrl.expose();
    sourceUrl = services.sourceDatabaseUrl.expose();
    mongoUrl = services.mongoUrl.expose();
    reviveMongo = () => services.reviveMongo();
  } else if (config.warehouseDatabaseUrl !== undefined) {
    warehouseUrl = config.warehouseDatabaseUrl.expose();
    await ensureNamedDatabase(warehouseUrl);
  } else {
    const server: ResolvedService = await resolvePostgres({ config, logger });
    stops.push(() => server.stop());
    options.announce(server.description);
    warehouseUrl = await ensureDatabase(server.url.expose(), defaultDatabaseNames.warehouse);
  }
  const warehouse = pool({
    url: warehouseUrl,
    max: 6,
    applicationName: 'reelhouse-pipeline',
    logger,
  });
  const history = pool({
    url: warehouseUrl,
    max: 3,
    applicationName: 'reelhouse-orchestrator',
    logger,
  });
  const source =
    sourceUrl === undefined
      ? undefined
      : pool({ url: sourceUrl, max: 4, applicationName: 'reelhouse-pipeline', logger });
  const client =
    mongoUrl === undefined
      ? undefined
      : new MongoClient(mongoUrl, mongoClientOptions(mongoUrl, { appName: 'reelhouse-pipeline' }));
  // A failed heartbeat may mean the local server died: restart it on the same port, and the
  // driver reconnects by itself, so a task's retry finds it again.
  let reviving: Promise<void> | undefined;
  client?.on('serverHeartbeatFailed', () => {
    reviving ??= reviveMongo()
      .catch((error: unknown) =>
        logger.warn({ err: String(error) }, 'MongoDB-wire server could not be restarted'),
      )
      .finally(() => {
        reviving = undefined;
      });
  });
  await client?.connect();
  return {
    warehouse,
    history,
    source,
    mongo: client?.db(mongoDatabaseName(mongoUrl ?? '')),
    close: async () => {
      await Promise.allSettled([
        closePool(warehouse),
        closePool(history),
        ...(source ? [closePool(source)] : []),
        ...(client ? [client.close()] : []),
      ]);
      await reviving;
      for (const stop of stops) await stop();
    },
  };
}
