import { sql, type RawBuilder } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { changedItemIds } from './changed-items.ts';
import { changedUserStarts, coveredUntil } from './changes-since.ts';
import { dim_date } from './dim_date.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';
import { stg_viewing_sessions } from './stg_viewing_sessions.ts';

/** The CTE an incremental aggregate declares with `changedDays`, read by `isChangedDay`. */
export const changedDaysCte = 'changed_days';

/**
 * The days (`date_key`) an incremental aggregate rebuilds whole: every day a session change since
 * its newest covered extraction (its `_extracted_at`) touched. That is the days of the fact rows
 * extracted since; the days of the sessions of items a catalogue change gave a new key or runtime
 * (their completed counts may differ); and the day of every version of a session that changed or
 * was deleted since, so a moved session's old day is rebuilt too. A day outside dim_date is `-1`,
 * as in the fact. Users whose versions changed touch groups, not days (see `changedUserGroups`).
 * Declared once as a CTE, so the watermark is read once.
 */
export function changedDays(ctx: ModelContext) {
  const since = coveredUntil(ctx);
  const dayKey = (startedAt: RawBuilder<unknown>) =>
    sql<number>`coalesce((select d.date_key from ${ctx.ref(dim_date, 'd')} where d.full_date = (${startedAt} at time zone 'UTC')::date), -1)`;
  const history = (alias: string) => ctx.source('raw.viewing_sessions__history', alias as 'h');
  return ctx.db
    .selectFrom(ctx.ref(fact_viewing_session, 'n'))
    .select('n.date_key')
    .where((eb) =>
      eb.and([
        eb('n._extracted_at', '>', since),
        // No filter, but the pair is estimated as a narrow range (see fact_viewing_session).
        eb('n._extracted_at', '<', sql<Date>`'infinity'::timestamptz`),
      ]),
    )
    .union((eb) =>
      eb
        .selectFrom(ctx.ref(stg_viewing_sessions, 's'))
        .select(dayKey(sql`s.started_at`).as('date_key'))
        .where('s.content_id', 'in', changedItemIds(ctx, since)),
    )
    .union((eb) =>
      eb
        .selectFrom(history('h'))
        .select(dayKey(sql`h.started_at`).as('date_key'))
        .where('h.started_at', 'is not', null)
        .where(
          sql<boolean>`h.session_id in (select c.session_id from ${history('c')} where c._extracted_at > ${since})`,
        ),
    );
}

/**
 * `= any(array(...))` over the `changedDays` CTE: as an array, PostgreSQL plans a date_key index
 * scan of the fact for a few days instead of assuming the days may be every day.
 */
export const isChangedDay: RawBuilder<number> = sql<number>`any(array(select "date_key" from ${sql.table(changedDaysCte)}))`;

/** The CTE an incremental aggregate declares with `changedUserGroups`, read by `isChangedGroup`. */
export const changedGroupsCte = 'changed_groups';

/** Fact columns an aggregate's groups are keyed by, apart from what a user change can alter. */
export type GroupColumn = 'date_key' | 'content_key' | 'country_code' | 'device_type' | 'quality';

/**
 * The groups (the fact's `columns`) holding sessions of users whose dim_user versions changed
 * since the aggregate's newest covered extraction, from the earliest changed version on: only
 * their user_key (and so plan and viewer counts) can differ, never these columns, so these groups
 * rebuilt whole cover the old and the new state. An erased user's few sessions are spread over
 * the year: a group each, not a day each (a day's erasures touched half the days at 1M sessions).
 */
export function changedUserGroups(ctx: ModelContext, columns: readonly GroupColumn[]) {
  return ctx.db
    .selectFrom(ctx.ref(fact_viewing_session, 'g'))
    .innerJoin(ctx.ref(stg_viewing_sessions, 's'), 's.session_id', 'g.session_id')
    .innerJoin(changedUserStarts(ctx, coveredUntil(ctx)).as('cu'), 'cu.user_id', 's.user_id')
    .select(columns.map((column) => sql.ref(`g.${column}`).as(column)))
    .distinct()
    .whereRef('s.started_at', '>=', 'cu.valid_from');
}

/** `(alias.columns) in (select columns from changed_groups)`: the row belongs to a changed group. */
export function isChangedGroup(
  alias: string,
  columns: readonly GroupColumn[],
): RawBuilder<boolean> {
  const own = sql.join(columns.map((column) => sql.ref(`${alias}.${column}`)));
  const listed = sql.join(columns.map((column) => sql.ref(column)));
  return sql<boolean>`(${own}) in (select ${listed} from ${sql.table(changedGroupsCte)})`;
}
