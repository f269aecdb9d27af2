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
 * when dim_user changed in this build, the groups of the fact rows pointing at a changed user
 * version (their plan may have changed in place, e.g. an erasure). Rebuilding a group whole from
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
  // Users: a changed version's key (new, updated in place or removed) finds its sessions by index.
  const userKeys =
    users.kind === 'delta'
      ? sql`select v.user_key from ${users.upserted('v')} union all select w.user_key from ${users.removed('w')}`
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
  const on = sql.join(
    options.columns.map((column) => sql`${sql.ref(`p.${column}`)} = ${sql.ref(`g.${column}`)}`),
    sql` and `,
  );
  // Stored rows of those groups minus the sessions the run replaced or removed, plus the delta
  // (whose groups are all among them): the post-merge fact of those groups, each group read
  // through the fact's group index. `not in` (keys are never null) is one hashed subplan; a
  // `not exists` was planned as a nested loop rescanning the delta per row.
  const rows = sql<FactRow>`(select ${list('p', columns)} from ${previous}
      join (${groups}) g on ${on}
      where p.session_id not in (select c.session_id from ${changedSessions} c)
    union all select ${list('u', columns)} from ${upserted})`.as('f');
  const isChanged = (alias: string) => sql<boolean>`(${groupOf(alias)}) in (${groups})`;
  return { rows, isChanged };
}
