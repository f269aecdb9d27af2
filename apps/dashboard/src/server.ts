import { serve } from '@hono/node-server';
import { loadConfig } from '@reelhouse/config';
import { defaultDatabaseNames, ensureDatabase, resolvePostgres } from '@reelhouse/services';
import pino from 'pino';

import { createDashboardApp } from './create-app.ts';
import { openDashboardDatabase } from './open-dashboard-database.ts';

// `pnpm dashboard`: WAREHOUSE_DATABASE_URL, or the warehouse database on the PostgreSQL server
// @reelhouse/services finds; then the app on PORT (default 3000).
const config = loadConfig();
const logger = pino({
  level: config.logLevel,
  base: { app: 'reelhouse-dashboard' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
const server = await resolvePostgres({ url: config.warehouseDatabaseUrl, config, logger });
const url =
  config.warehouseDatabaseUrl?.expose() ??
  (await ensureDatabase(server.url.expose(), defaultDatabaseNames.warehouse));
const { db, user, repairGrants } = await openDashboardDatabase({ url, logger });
const app = await createDashboardApp({
  db,
  logger,
  warmUp: true,
  ...(repairGrants === undefined ? {} : { repairGrants }),
});
// Warm the cache before the first visitor: the status read starts it for the current load.
await app.request('/healthz');
const http = serve({ fetch: app.fetch, port: config.port }, (info) => {
  logger.info(
    { port: info.port, user, warehouse: server.description },
    `Reelhouse dashboard on http://localhost:${info.port}`,
  );
});

const stop = (signal: string) => {
  logger.info({ signal }, 'stopping');
  http.close();
  void db.destroy().finally(() => server.stop());
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
