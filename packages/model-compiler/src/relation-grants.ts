import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import { quoteIdent, quoteRelation } from './sql-identifier.ts';

/** A privilege granted on a relation to a role other than its owner (`public` for everyone). */
export interface RelationGrant {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

/** The grants on a relation (none if it does not exist), read before it is replaced. */
export async function readGrants(db: AnyKysely, relation: string): Promise<RelationGrant[]> {
  const { rows } = await sql<RelationGrant>`
    select case when a.grantee = 0 then 'public' else a.grantee::regrole::text end as "grantee", a.privilege_type as "privilege", a.is_grantable as "grantable"
    from pg_class c, aclexplode(c.relacl) a
    where c.oid = to_regclass(${relation}) and a.grantee <> c.relowner
    order by 1, 2`.execute(db);
  return rows;
}

/**
 * Grants the replaced relation's privileges on its replacement: a table built in the staging
 * schema misses the target schema's default privileges, so readers such as the dashboard's
 * read-only role would otherwise lose access at every build.
 */
export async function applyGrants(
  db: AnyKysely,
  options: { relation: string; grants: readonly RelationGrant[] },
): Promise<void> {
  for (const grant of options.grants) {
    const grantee =
      grant.grantee === 'public'
        ? 'public'
        : grant.grantee.startsWith('"')
          ? grant.grantee
          : quoteIdent(grant.grantee);
    await sql
      .raw(
        `grant ${grant.privilege} on ${quoteRelation(options.relation)} to ${grantee}${grant.grantable ? ' with grant option' : ''}`,
      )
      .execute(db);
  }
}
