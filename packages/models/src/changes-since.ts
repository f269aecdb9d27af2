import { sql, type RawBuilder } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { dim_user } from './dim_user.ts';

/**
 * The newest raw extraction an incremental model already covers: the highest `_extracted_at` of
 * its own rows (`-infinity` when empty). Everything raw received after it is new to the model.
 */
export function coveredUntil(ctx: ModelContext): RawBuilder<Date> {
  return sql<Date>`(select coalesce(max(w._extracted_at), '-infinity'::timestamptz) from ${ctx.self('w')})`;
}

/**
 * The users whose dim_user versions derive from history extracted after `since`, each with the
 * earliest `valid_from` among those versions: a session that started before it matched a version
 * that did not change (same key, same attributes) or none at all, so only later sessions can
 * resolve differently. A new version starts at its change; an erasure rewrites every version, so
 * all of that user's sessions count; a late user's orphan sessions from sign-up on do too.
 */
export function changedUserStarts(ctx: ModelContext, since: RawBuilder<Date>) {
  return ctx.db
    .selectFrom(ctx.ref(dim_user, 'cu'))
    .select(['cu.user_id', sql<Date>`min(cu.valid_from)`.as('valid_from')])
    .where('cu._extracted_at', '>', since)
    .groupBy('cu.user_id');
}

/**
 * The users whose sessions the fact re-resolves in this build, each from the earliest start at
 * which the version covering a session, or its erasure, may differ from what the fact's last build
 * saw: from dim_user's own delta when the compiler knows it (`ctx.changes`), else from the history
 * extracted after `since` (`changedUserStarts`). A version only closed (its valid_to set when the
 * next one starts) still covers its sessions up to the earlier of its two ends, so it counts from
 * there, not from its own start: at 10M sessions the whole history of each of a day's ~4,500
 * changed users was re-resolved, and every aggregate group those sessions fall in rebuilt.
 */
export function changedUserStartsOfBuild(ctx: ModelContext, since: RawBuilder<Date>) {
  const changes = ctx.changes(dim_user);
  if (changes === undefined) return changedUserStarts(ctx, since);
  if (changes.kind === 'unchanged') return changedUserStarts(ctx, since).where(sql<boolean>`false`);
  // The fact takes a version's key, its interval and whether it is erased (see its join).
  const erased = (alias: string) =>
    sql<boolean>`(${sql.ref(`${alias}.subscription_status`)} = 'erased')`;
  const starts = sql<{ user_id: string; valid_from: Date }>`(
    select v.user_id, case when p.user_key is null or ${erased('p')} <> ${erased('v')} then v.valid_from
        else least(coalesce(p.valid_to, 'infinity'), coalesce(v.valid_to, 'infinity')) end as valid_from
      from ${changes.upserted('v')} left join ${changes.previous('p')} on p.user_key = v.user_key
      where p.user_key is null or ${erased('p')} <> ${erased('v')} or p.valid_to is distinct from v.valid_to
    union all
    select o.user_id, o.valid_from from ${changes.previous('o')}
      where o.user_key in (select w.user_key from ${changes.removed('w')}))`.as('c');
  return ctx.db
    .selectFrom(starts)
    .select(['c.user_id', sql<Date>`min(c.valid_from)`.as('valid_from')])
    .groupBy('c.user_id');
}
