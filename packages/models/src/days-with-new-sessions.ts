import { sql, type RawBuilder } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { fact_viewing_session } from './fact_viewing_session.ts';

/**
 * `any(array(...))` of the days (`date_key`) holding sessions extracted after the newest one an
 * aggregate already covers (its `_extracted_at`): an incremental aggregate rebuilds those days,
 * whole. As an array, PostgreSQL plans a date_key index scan of the fact for a few days instead
 * of assuming the subquery may return every day.
 */
export function daysWithNewSessions(ctx: ModelContext): RawBuilder<number> {
  const days = ctx.db
    .selectFrom(ctx.ref(fact_viewing_session, 'n'))
    .select('n.date_key')
    .distinct()
    .where((eb) =>
      eb.and([
        eb(
          'n._extracted_at',
          '>',
          eb
            .selectFrom(ctx.self('covered'))
            .select(
              sql<Date>`coalesce(max(covered._extracted_at), '-infinity'::timestamptz)`.as('since'),
            ),
        ),
        // No filter, but the pair is estimated as a narrow range (see fact_viewing_session).
        eb('n._extracted_at', '<', sql<Date>`'infinity'::timestamptz`),
      ]),
    );
  return sql<number>`any(array(${days}))`;
}
