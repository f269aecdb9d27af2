import { sql, type RawBuilder } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { fact_viewing_session } from './fact_viewing_session.ts';

/** The CTE an incremental aggregate declares with `newSessionDays`, read by `isNewSessionDay`. */
export const newSessionDaysCte = 'new_session_days';

/**
 * The days (`date_key`) holding sessions extracted after the newest one an aggregate already
 * covers (its `_extracted_at`): an incremental aggregate rebuilds those days, whole. Declared once
 * as a CTE, so the aggregate's watermark is read once however many times the days are used.
 */
export function newSessionDays(ctx: ModelContext) {
  return ctx.db
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
}

/**
 * `= any(array(...))` over the `newSessionDays` CTE: as an array, PostgreSQL plans a date_key
 * index scan of the fact for a few days instead of assuming the days may be every day.
 */
export const isNewSessionDay: RawBuilder<number> = sql<number>`any(array(select "date_key" from ${sql.table(newSessionDaysCte)}))`;
