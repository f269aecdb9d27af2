import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';

import type { ModelContext, RowOf } from '@reelhouse/model-compiler';

import type { GroupColumn } from './changed-days.ts';
import { dim_user } from './dim_user.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';

type FactRow = RowOf<typeof fact_viewing_session>;

/**
 * What an aggregate over the fact rebuilds in an incremental run, from the rows the fact's own run
 * changed (its delta and removed keys, `ctx.changes`), not from a scan of the fact: the groups
 * (by `columns`) of every replaced or removed session as stored before and as merged now, and,
 * when dim_user changed in this build, the groups of the fact rows pointing at a user version whose
 * plan changed in place or that was removed. Rebuilding a group whole from
 * those rows gives the full rebuild's row, so a superset of the changed groups is still exact.
 * `undefined` when the fact's or dim_user's changes are unknown (see `ModelContext.changes`): the
 * caller then takes its watermark path.
 */
export function deltaGroups(
  ctx: ModelContext,
  options: { readonly columns: readonly GroupColumn[]; readonly userPlans: boolean },
):
  | {
      /** The post-merge fact rows of those groups, as a relation aliased `f`. */
      readonly rows: AliasedRawBuilder<FactRow, 'f'>;
      /** `(alias.columns) in (the groups)`: a stored aggregate row to replace. */
      readonly isChanged: (alias: string) => RawBuilder<boolean>;
    }
  | undefined {
  const fact = ctx.changes(fact_viewing_session);
  const users = options.userPlans ? ctx.changes(dim_user) : ({ kind: 'unchanged' } as const);
  if (fact === undefined || users === undefined) return undefined;
  const columns = Object.keys(fact_viewing_session.contract.columns);
  const list = (alias: string, names: readonly string[]) =>
    sql.join(names.map((name) => sql.ref(`${alias}.${name}`)));
  const groupOf = (alias: string) => list(alias, options.columns);
  // An unchanged fact is its published table with an empty delta.
  const previous = fact.kind === 'delta' ? fact.previous('p') : ctx.ref(fact_viewing_session, 'p');
  const upserted =
    fact.kind === 'delta'
      ? fact.upserted('u')
      : sql`(select * from ${ctx.ref(fact_viewing_session, 'x')} where false)`.as('u');
  const removed =
    fact.kind === 'delta'
      ? fact.removed('r')
      : sql`(select * from ${ctx.ref(fact_viewing_session, 'y')} where false)`.as('r');
  const sessions = sql`select u.session_id from ${upserted} union all select r.session_id from ${removed}`;
  // Users: the key of a version whose plan changed in place, or that was removed, finds its
  // sessions by index. A version only closed (its valid_to set when the next one starts) keeps its
  // plan, and the sessions that move to a new version are in the fact's own delta: at 10M
  // sessions, taking every rewritten version re-read the groups of all past sessions of a day's
  // ~4,500 changed users.
  const userKeys =
    users.kind === 'delta'
      ? sql`select v.user_key from ${users.upserted('v')}
          where not exists (select 1 from ${users.previous('x')} where x.user_key = v.user_key and x.plan is not distinct from v.plan)
          union all select w.user_key from ${users.removed('w')}`
      : undefined;
  // The replaced or removed sessions, inline (twice): a few thousand keys read from small tables.
  const changedSessions = sql`(${sessions})`;
  const groups = sql.join(
    [
      sql`select ${groupOf('u')} from ${upserted}`,
      // `= any(array(...))`: a primary key probe per changed session, not a join planned as a scan.
      sql`select ${groupOf('p')} from ${previous} where p.session_id = any(array${changedSessions})`,
      ...(userKeys === undefined
        ? []
        : [
            sql`select ${groupOf('p')} from ${previous} where p.user_key = any(array(${userKeys}))`,
          ]),
    ],
    sql` union `,
  );
  const matches = (alias: string) =>
    sql.join(
      options.columns.map(
        (column) => sql`${sql.ref(`${alias}.${column}`)} = ${sql.ref(`g.${column}`)}`,
      ),
      sql` and `,
    );
  // The post-merge fact rows of those groups: the stored rows of the groups (each group read
  // through the fact's group index) overridden by the delta's row of the same session and dropped
  // when the session was removed. One sort by session, not an anti-join: with a large delta, an
  // anti-join without statistics was planned as a nested loop over the delta per row (quadratic),
  // and a NOT IN stops being hashed once the keys outgrow work_mem.
  const rows = sql<FactRow>`(select ${list('y', columns)} from (
      select distinct on (x.session_id) x.* from (
        select 0 as _rank, false as _removed, ${list('u', columns)} from ${upserted}
        union all select 0, true, ${sql.join(columns.map((column) => (column === 'session_id' ? sql`r.session_id` : sql`null`)))} from ${removed}
        union all select 1, false, ${list('p', columns)} from ${previous} join (${groups}) g on ${matches('p')}
      ) x order by x.session_id, x._rank
    ) y where not y._removed)`.as('f');
  // A top-level `exists`: planned as a semi-join, whatever the number of groups.
  const isChanged = (alias: string) =>
    sql<boolean>`exists (select 1 from (${groups}) g where ${matches(alias)})`;
  return { rows, isChanged };
}
