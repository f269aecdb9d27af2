export type { ResolvedService, ServiceKind, ServiceSource } from './resolved-service.ts';
export { resolvePostgres, type ResolvePostgresOptions } from './resolve-postgres.ts';
export { resolveMongo, ensureMongo, type ResolveMongoOptions } from './resolve-mongo.ts';
export { ensureNamedDatabase } from './ensure-named-database.ts';
export { mongoClientOptions } from './mongo-client-options.ts';
export {
  readServiceState,
  serviceStatePath,
  type PersistentServer,
  type ServiceState,
} from './persistent/service-state.ts';
export { removeStaleStateFolders } from './persistent/stale-state-folders.ts';
export { stopPersistentServer } from './persistent/stop-persistent-server.ts';
export {
  resolveServices,
  defaultDatabaseNames,
  type ResolvedServices,
} from './resolve-services.ts';
export {
  ensureDatabase,
  dropDatabase,
  createIsolatedDatabase,
  type IsolatedDatabase,
} from './postgres-databases.ts';
export { withDatabase } from './database-url.ts';
export { buildFerretdb, locateFerretdb, cachedFerretdbPath, ferretdbVersion } from './ferretdb.ts';
export { cacheDir } from './cache-dir.ts';
export { freePort } from './free-port.ts';
