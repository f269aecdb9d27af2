import { loadConfig } from '@reelhouse/config';

import { resolveMongo } from '../resolve-mongo.ts';
import { resolvePostgres } from '../resolve-postgres.ts';
import type { ResolvedService } from '../resolved-service.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a PostgreSQL server's `postgres` database; test files create their own databases on it. */
    postgresServerUrl: string;
    /** URL of a MongoDB-wire server; test files use their own database names on it. */
    mongoServerUrl: string;
  }
}

interface GlobalSetupContext {
  provide<K extends 'postgresServerUrl' | 'mongoServerUrl'>(key: K, value: string): void;
}

/**
 * Vitest global setup: resolves PostgreSQL and a MongoDB-wire server once per package run
 * (URL from the environment, testcontainers, or local servers), hands their URLs to the tests, and
 * stops what it started. Each package's `test/global-setup.ts` re-exports this.
 */
export async function setup(context: GlobalSetupContext): Promise<() => Promise<void>> {
  const config = loadConfig();
  const started: ResolvedService[] = [];
  // Test runs use the warehouse URL as the server when given: CI points it at the local server.
  const postgres = await resolvePostgres({
    url: config.warehouseDatabaseUrl ?? config.sourceDatabaseUrl,
    config,
    lifetime: 'process',
  });
  started.push(postgres);
  // Throwaway servers: tests never use, fill or stop the persistent ones of `pnpm pipeline`.
  // eslint-disable-next-line no-restricted-properties -- PATH locates executables, it is not configuration
  const mongo = await resolveMongo({ config, path: process.env['PATH'], lifetime: 'process' });
  started.push(mongo);
  context.provide('postgresServerUrl', postgres.url.expose());
  context.provide('mongoServerUrl', mongo.url.expose());
  return async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
}
