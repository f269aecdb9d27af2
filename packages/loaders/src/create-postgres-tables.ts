import type pg from 'pg';

import { classifyError, silentLogger, type Logger, type StepReport } from '@reelhouse/core';

import { postgresMigrations, schemaVersionTable } from './postgres-migrations.ts';

export interface CreatePostgresTablesOptions {
  readonly logger?: Logger;
}

// Two set-up tasks started together must not interleave their DDL.
const migrationLockKey = 'reelhouse.loaders.schema';

/**
 * Brings the source tables (`users`, `viewing_sessions`, `load_rejects`) to the current layout in
 * one transaction: creates them, or migrates an older layout in place; a rerun changes nothing.
 */
export async function createPostgresTables(
  pool: pg.Pool,
  options: CreatePostgresTablesOptions = {},
): Promise<StepReport> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const client = await pool.connect();
  const applied: string[] = [];
  let fromVersion = 0;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schemaVersionTable} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
    const current = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schemaVersionTable}`,
    );
    fromVersion = current.rows[0]?.version ?? 0;
    for (const migration of postgresMigrations.filter((m) => m.version > fromVersion)) {
      for (const statement of migration.statements) await client.query(statement);
      await client.query(`INSERT INTO ${schemaVersionTable} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(`${migration.version}_${migration.name}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw classifyError(error, { task: 'create_postgres_tables' });
  } finally {
    client.release();
  }
  const toVersion = Math.max(fromVersion, ...postgresMigrations.map((m) => m.version));
  logger.info(
    { fromVersion, toVersion, applied },
    applied.length === 0 ? 'source tables already current' : 'source tables migrated',
  );
  return {
    step: 'create_postgres_tables',
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
    durationMs: performance.now() - started,
    warnings: [],
    details: { fromVersion, toVersion, applied },
  };
}
