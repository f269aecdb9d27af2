import { silentLogger, type Logger } from '@reelhouse/core';
import { sql, type Kysely } from 'kysely';

import { scramSha256Verifier } from './scram-verifier.ts';

/** The read-only role of one warehouse database: `reelhouse_dashboard_<database>`. */
export function dashboardRoleName(database: string): string {
  const suffix = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `reelhouse_dashboard_${suffix}`.slice(0, 63);
}

export interface DashboardRoleReport {
  /** True when the role exists with its grants; false when this connection lacks the rights. */
  readonly ready: boolean;
  readonly role: string;
  readonly message: string;
}

const statementTimeout = '15s';

/**
 * Creates the read-only role of the connected warehouse database, or brings an existing one's
 * grants up to date: LOGIN, no other attribute, SELECT on `trusted` only, read-only transactions
 * and a statement timeout by default, CONNECT on this database only, no temporary tables.
 * `password` (when given) is sent as a SCRAM verifier computed here, never in clear text; without
 * it an existing role keeps its password. Idempotent; a connection without the rights to manage
 * roles gets `ready: false` and a message, not an error.
 */
export async function ensureDashboardRole<Database>(
  db: Kysely<Database>,
  options: { password?: string; logger?: Logger },
): Promise<DashboardRoleReport> {
  const logger = options.logger ?? silentLogger;
  const facts = await sql<{ can: boolean; database: string }>`
    select (r.rolsuper or r.rolcreaterole) and has_database_privilege(current_database(), 'CREATE') as can,
      current_database() as database
    from pg_catalog.pg_roles r where r.rolname = current_user`.execute(db);
  const { can, database } = facts.rows[0]!;
  const role = dashboardRoleName(database);
  const found = await sql<{
    exists: boolean;
  }>`select exists (select 1 from pg_catalog.pg_roles where rolname = ${role}) as exists`.execute(
    db,
  );
  const exists = found.rows[0]?.exists === true;
  if (!can) {
    const message = `${role} not set up: the connected user cannot create roles; ask a DBA to run the setup (see apps/dashboard README)`;
    logger.warn({ role }, message);
    return { ready: false, role, message };
  }
  const id = sql.id(role);
  const attributes = sql.raw(
    'login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls',
  );
  if (options.password !== undefined) {
    // DDL takes no bind parameters; the verifier is base64 and '$', ':' only, so a literal is safe.
    const verifier = sql.lit(scramSha256Verifier(options.password));
    await (
      exists
        ? sql`alter role ${id} with ${attributes} password ${verifier}`
        : sql`create role ${id} with ${attributes} password ${verifier}`
    ).execute(db);
  } else if (!exists) {
    await sql`create role ${id} with ${attributes}`.execute(db);
  } else {
    await sql`alter role ${id} with ${attributes}`.execute(db);
  }
  const databaseId = sql.id(database);
  const statements = [
    // Pinned for this database (role-in-database settings override the role's own defaults).
    sql`alter role ${id} in database ${databaseId} set default_transaction_read_only = on`,
    sql`alter role ${id} in database ${databaseId} set statement_timeout = ${sql.lit(statementTimeout)}`,
    sql`create schema if not exists trusted`,
    sql`grant usage on schema trusted to ${id}`,
    sql`grant select on all tables in schema trusted to ${id}`,
    // Tables a later build creates (same owner as now) are readable too.
    sql`alter default privileges in schema trusted grant select on tables to ${id}`,
    sql`grant connect on database ${databaseId} to ${id}`,
    // Temporary tables are a PUBLIC default of every database: take it away here, keep it for the owner.
    sql`revoke temporary on database ${databaseId} from public`,
    sql`grant temporary on database ${databaseId} to current_user`,
  ];
  for (const statement of statements) await statement.execute(db);
  const message = `${role} ready: SELECT on trusted only, read-only transactions, no temporary tables`;
  logger.info({ role }, message);
  return { ready: true, role, message };
}
