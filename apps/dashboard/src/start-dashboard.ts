import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { serve } from '@hono/node-server';
import type { ReelhouseConfig } from '@reelhouse/config';
import { ReelhouseError, type Logger } from '@reelhouse/core';
import {
  cacheDir,
  defaultDatabaseNames,
  ensureDatabase,
  resolvePostgres,
} from '@reelhouse/services';

import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';

import { createDashboardApp } from './create-app.ts';
import { createImportedWarehouses } from './imported-warehouses.ts';
import { openDashboardDatabase } from './open-dashboard-database.ts';
import { isLoopbackHost, type DashboardAuth } from './security.ts';
import { listenForTrustedChanges } from './trusted-changes.ts';

/** What `pnpm dashboard` needs: the parsed config and where to listen. */
export interface DashboardServerOptions {
  readonly config: ReelhouseConfig;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
}

export interface DashboardServer {
  readonly address: AddressInfo;
  readonly user: string;
  close(): Promise<void>;
}

/** The credentials from config; refuses a non-loopback address without any. */
export function dashboardAuthFromConfig(config: ReelhouseConfig, host: string): DashboardAuth {
  const basic = config.dashboardBasicAuth?.expose();
  const separator = basic?.indexOf(':') ?? -1;
  const auth: DashboardAuth = {
    ...(config.dashboardToken === undefined ? {} : { token: config.dashboardToken.expose() }),
    ...(basic === undefined
      ? {}
      : { basic: { username: basic.slice(0, separator), password: basic.slice(separator + 1) } }),
  };
  if (!isLoopbackHost(host) && auth.token === undefined && auth.basic === undefined)
    throw new ReelhouseError({
      code: 'config_invalid',
      message: `HOST=${host} exposes the dashboard beyond this machine: set DASHBOARD_TOKEN (at least 16 characters) or DASHBOARD_BASIC_AUTH (user:password), or leave HOST unset to listen on 127.0.0.1 only`,
      context: { host },
    });
  return auth;
}

/** Opens the warehouse as the read-only role and serves the app; the database errors say what to do. */
export async function startDashboard(options: DashboardServerOptions): Promise<DashboardServer> {
  const { config, logger } = options;
  const auth = dashboardAuthFromConfig(config, options.host);
  const server = await resolvePostgres({ url: config.warehouseDatabaseUrl, config, logger });
  let opened: Awaited<ReturnType<typeof openDashboardDatabase>>;
  try {
    const url =
      config.warehouseDatabaseUrl?.expose() ??
      (await ensureDatabase(server.url.expose(), defaultDatabaseNames.warehouse));
    opened = await openDashboardDatabase({ url, logger, secretDir: cacheDir(config.cacheDir) });
  } catch (error) {
    await server.stop();
    throw describeDatabaseError(error, server.description);
  }
  const { db, user, repairGrants } = opened;
  // The load key is read on connections of its own: a cached answer never waits for the pool.
  const statusDb = createKysely<TrustedSchema>(
    createPool({ url: opened.url, max: 1, applicationName: 'reelhouse-dashboard-status' }),
  );
  const changes = await listenForTrustedChanges({ url: opened.url, logger });
  const imported = createImportedWarehouses({
    db,
    url: opened.url,
    dir: join(cacheDir(config.cacheDir), 'dashboard-imports'),
    logger,
  });
  const app = await createDashboardApp({
    db,
    logger,
    warmUp: true,
    auth,
    statusDb,
    changes,
    imported,
    ...(repairGrants === undefined ? {} : { repairGrants }),
  });
  // Warm the cache before the first visitor: the status read starts it for the current load.
  await app.request(
    '/healthz',
    auth.token === undefined ? {} : { headers: { authorization: `Bearer ${auth.token}` } },
  );
  let resolveAddress: (info: AddressInfo) => void = () => undefined;
  const listening = new Promise<AddressInfo>((resolve) => (resolveAddress = resolve));
  const http = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) =>
    resolveAddress(info),
  );
  const address = await listening;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info(
    { host: address.address, port: address.port, user, warehouse: server.description },
    `Reelhouse dashboard on http://${shown}:${address.port}`,
  );
  return {
    address,
    user,
    close: async () => {
      await new Promise<void>((done) => http.close(() => done()));
      await changes.close();
      imported.close();
      await statusDb.destroy();
      await db.destroy();
      await server.stop();
    },
  };
}

/** A connection failure as one clear sentence with its fix, instead of a driver stack trace. */
function describeDatabaseError(error: unknown, where: string): ReelhouseError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '3D000')
    return new ReelhouseError({
      code: 'service_unavailable',
      retryable: false,
      message: `The warehouse database does not exist (${message}) on ${where}: run \`pnpm pipeline\` once to create and fill it, or point WAREHOUSE_DATABASE_URL at an existing one.`,
      cause: error,
    });
  return new ReelhouseError({
    code: 'service_unavailable',
    retryable: false,
    message: `Cannot open the warehouse on ${where}: ${message}. Check WAREHOUSE_DATABASE_URL and that PostgreSQL is running.`,
    cause: error,
  });
}
