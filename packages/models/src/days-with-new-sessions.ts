import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { fact_viewing_session } from './fact_viewing_session.ts';

/**
 * The days (`date_key`) holding sessions extracted after the newest one an aggregate already
 * covers (its `_extracted_at`): an incremental aggregate rebuilds exactly those days, whole.
 */
export function daysWithNewSessions(ctx: ModelContext) {
  return ctx.db
    .selectFrom(ctx.ref(fact_viewing_session, 'n'))
    .select('n.date_key')
    .distinct()
    .where((eb) =>
      eb(
        'n._extracted_at',
        '>',
        eb
          .selectFrom(ctx.self('a'))
          .select(sql<Date>`coalesce(max(a._extracted_at), '-infinity'::timestamptz)`.as('since')),
      ),
    );
}
