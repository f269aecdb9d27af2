import { silentLogger, type Logger } from '@reelhouse/core';
import { sql, type Kysely } from 'kysely';

/** The read-only role the dashboard connects as. */
export const dashboardRoleName = 'reelhouse_dashboard';

export interface DashboardRoleReport {
  /** True when the role exists with its grants; false when this connection lacks the rights. */
  readonly ready: boolean;
  readonly message: string;
}

/**
 * Creates (or updates) the role `reelhouse_dashboard`: LOGIN, read-only transactions by default,
 * USAGE on `trusted` and SELECT on its tables, including those a later build creates. Idempotent;
 * a connection without the rights gets `ready: false` and a message, not an error.
 */
export async function ensureDashboardRole<Database>(
  db: Kysely<Database>,
  options: { password: string; logger?: Logger },
): Promise<DashboardRoleReport> {
  const logger = options.logger ?? silentLogger;
  const rights = await sql<{ can: boolean }>`
    select (r.rolsuper or r.rolcreaterole) and has_database_privilege(current_database(), 'CREATE') as can
    from pg_catalog.pg_roles r where r.rolname = current_user`.execute(db);
  if (rights.rows[0]?.can !== true) {
    const message = `${dashboardRoleName} not set up: the connected user cannot create roles; ask a DBA to run the setup (see apps/dashboard README)`;
    logger.warn({ role: dashboardRoleName }, message);
    return { ready: false, message };
  }
  // Role names and passwords cannot be bind parameters in DDL: format() with %I/%L quotes them server-side.
  const exists = await sql<{
    exists: boolean;
  }>`select exists (select 1 from pg_catalog.pg_roles where rolname = ${dashboardRoleName}) as exists`.execute(
    db,
  );
  const verb = exists.rows[0]?.exists === true ? 'alter' : 'create';
  const statement = await sql<{
    text: string;
  }>`select format(${`${verb} role %I login password %L`}, ${dashboardRoleName}::text, ${options.password}::text) as text`.execute(
    db,
  );
  await sql.raw(statement.rows[0]!.text).execute(db);
  await sql`create schema if not exists trusted`.execute(db);
  const grants = [
    sql`alter role ${sql.id(dashboardRoleName)} set default_transaction_read_only = on`,
    sql`alter role ${sql.id(dashboardRoleName)} set statement_timeout = '15s'`,
    sql`grant usage on schema trusted to ${sql.id(dashboardRoleName)}`,
    sql`grant select on all tables in schema trusted to ${sql.id(dashboardRoleName)}`,
    // Tables a later build creates (same owner as now) are readable too.
    sql`alter default privileges in schema trusted grant select on tables to ${sql.id(dashboardRoleName)}`,
  ];
  for (const grant of grants) await grant.execute(db);
  const database = await sql<{
    text: string;
  }>`select format('grant connect on database %I to %I', current_database(), ${dashboardRoleName}::text) as text`.execute(
    db,
  );
  await sql.raw(database.rows[0]!.text).execute(db);
  const message = `${dashboardRoleName} ready: SELECT on trusted only, read-only transactions`;
  logger.info({ role: dashboardRoleName }, message);
  return { ready: true, message };
}
