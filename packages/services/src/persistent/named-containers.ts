import type { StartedMongoDBContainer } from '@testcontainers/mongodb';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';

/**
 * Names of the containers and volumes Reelhouse keeps between commands when a container engine
 * answers. Not exercised on machines without Docker (this repository's CI machine has none).
 */
export const containerNames = {
  postgres: 'reelhouse-postgres',
  postgresVolume: 'reelhouse-postgres-data',
  mongo: 'reelhouse-mongo',
  mongoVolume: 'reelhouse-mongo-data',
} as const;

/**
 * A MongoDB 7 container: for `persistent`, named, reused by later commands (testcontainers'
 * reuse), its data on a named volume, and left running at exit; otherwise a throwaway one.
 */
export async function startMongoContainer(persistent: boolean): Promise<StartedMongoDBContainer> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = new MongoDBContainer('mongo:7');
  if (!persistent) return container.start();
  return container
    .withName(containerNames.mongo)
    .withBindMounts([{ source: containerNames.mongoVolume, target: '/data/db' }])
    .withReuse()
    .withAutoCleanup(false)
    .start();
}

/** A PostgreSQL 16 container, named and reused on a named volume when `persistent` (as above). */
export async function startPostgresContainer(
  persistent: boolean,
): Promise<StartedPostgreSqlContainer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = new PostgreSqlContainer('postgres:16-alpine').withDatabase('postgres');
  if (!persistent) return container.start();
  return container
    .withName(containerNames.postgres)
    .withBindMounts([{ source: containerNames.postgresVolume, target: '/var/lib/postgresql/data' }])
    .withReuse()
    .withAutoCleanup(false)
    .start();
}
