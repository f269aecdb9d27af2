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
