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

/** The users (staging ids) whose dim_user versions derive from history extracted after `since`. */
export function changedUserIds(ctx: ModelContext, since: RawBuilder<Date>) {
  return ctx.db
    .selectFrom(ctx.ref(dim_user, 'cu'))
    .select('cu.user_id')
    .where('cu._extracted_at', '>', since);
}
