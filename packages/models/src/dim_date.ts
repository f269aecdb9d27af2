import { sql } from 'kysely';

import { defineModel, incremental } from '@reelhouse/model-compiler';

/** Calendar days covering whole years from the first sign-up to the last session or cancellation, plus the `-1` unknown day. */
export const dim_date = defineModel({
  name: 'dim_date',
  description:
    'One row per calendar day (date_key yyyymmdd) over whole years spanning the data (sign-ups and sessions, UTC), so an incremental load within a year needs no new days; date_key -1 is the unknown day.',
  // Merged in place rather than replaced: replacing it would drop the foreign keys the fact and
  // the aggregates hold on it, and re-adding them validates every fact row on every build. The
  // whole (small) dimension is recomputed and merged; rows are never deleted.
  materialization: incremental({ strategy: 'merge', uniqueKey: ['date_key'] }),
  tags: ['dimension'],
  select: (ctx) => {
    const allDays = ctx.db
      // Bounds come from raw's histories: every user and session ever extracted, so a full rebuild
      // spans the years an incremental one accumulated, even after erasures and deletes.
      .with('bounds', (db) =>
        db
          .selectFrom(
            db
              .selectFrom(ctx.source('raw.users__history', 'u'))
              .select((eb) => [
                eb.fn.min('u.signup_ts').as('first_at'),
                // greatest() ignores nulls: cancellation days are in the calendar too.
                sql<Date | null>`greatest(max(${eb.ref('u.signup_ts')}), max(${eb.ref('u.cancelled_at')}))`.as(
                  'last_at',
                ),
              ])
              .unionAll(
                db
                  .selectFrom(ctx.source('raw.viewing_sessions__history', 's'))
                  .select((eb) => [
                    eb.fn.min('s.started_at').as('first_at'),
                    eb.fn.max('s.started_at').as('last_at'),
                  ]),
              )
              .as('b'),
          )
          .select([
            sql<string>`date_trunc('year', min(b.first_at) at time zone 'UTC')::date`.as(
              'first_day',
            ),
            sql<string>`(date_trunc('year', max(b.last_at) at time zone 'UTC') + interval '1 year - 1 day')::date`.as(
              'last_day',
            ),
          ]),
      )
      .with('days', (db) =>
        db
          .selectFrom([
            'bounds',
            sql<{
              day: string;
            }>`generate_series(bounds.first_day, bounds.last_day, interval '1 day')`.as<'g'>(
              sql`g(day)`,
            ),
          ])
          .select(sql<string>`g.day::date`.as('full_date')),
      )
      .selectFrom('days as d')
      .select((eb) => {
        const day = eb.ref('d.full_date');
        return [
          sql<number>`to_char(${day}, 'YYYYMMDD')::integer`.as('date_key'),
          sql<string | null>`${day}`.as('full_date'),
          sql<number | null>`extract(year from ${day})::smallint`.as('year'),
          sql<number | null>`extract(quarter from ${day})::smallint`.as('quarter'),
          sql<number | null>`extract(month from ${day})::smallint`.as('month'),
          sql<string | null>`trim(to_char(${day}, 'Month'))`.as('month_name'),
          sql<number | null>`extract(week from ${day})::smallint`.as('iso_week'),
          sql<number | null>`extract(day from ${day})::smallint`.as('day_of_month'),
          sql<number | null>`extract(isodow from ${day})::smallint`.as('day_of_week'),
          sql<string | null>`trim(to_char(${day}, 'Day'))`.as('day_name'),
          sql<boolean | null>`extract(isodow from ${day}) >= 6`.as('is_weekend'),
        ];
      })
      .unionAll(
        ctx.db.selectNoFrom([
          sql.lit(-1).as('date_key'),
          sql<string | null>`null::date`.as('full_date'),
          sql<number | null>`null::smallint`.as('year'),
          sql<number | null>`null::smallint`.as('quarter'),
          sql<number | null>`null::smallint`.as('month'),
          sql<string | null>`null::text`.as('month_name'),
          sql<number | null>`null::smallint`.as('iso_week'),
          sql<number | null>`null::smallint`.as('day_of_month'),
          sql<number | null>`null::smallint`.as('day_of_week'),
          sql<string | null>`null::text`.as('day_name'),
          sql<boolean | null>`null::boolean`.as('is_weekend'),
        ]),
      );
    if (!ctx.isIncremental) return allDays;
    // Only the days the table lacks: sessions within the covered years merge nothing, so the
    // models reading dim_date are not rebuilt on its account.
    return ctx.db
      .selectFrom(allDays.as('n'))
      .selectAll('n')
      .where(
        sql<boolean>`not exists (select 1 from ${ctx.self('d')} where "d"."date_key" = "n"."date_key")`,
      );
  },
  contract: {
    columns: {
      date_key: {
        type: 'integer',
        check: 'date_key = -1 or date_key between 19000101 and 21001231',
      },
      full_date: { type: 'date', nullable: true },
      year: { type: 'smallint', nullable: true },
      quarter: { type: 'smallint', nullable: true, check: 'quarter between 1 and 4' },
      month: { type: 'smallint', nullable: true, check: 'month between 1 and 12' },
      month_name: { type: 'text', nullable: true },
      iso_week: { type: 'smallint', nullable: true, check: 'iso_week between 1 and 53' },
      day_of_month: { type: 'smallint', nullable: true, check: 'day_of_month between 1 and 31' },
      day_of_week: { type: 'smallint', nullable: true, check: 'day_of_week between 1 and 7' },
      day_name: { type: 'text', nullable: true },
      is_weekend: { type: 'boolean', nullable: true },
    },
    primaryKey: ['date_key'],
  },
  tests: (t) => [
    t.custom('one_unknown_day', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('d'))
        .select(sql<number>`count(*)`.as('unknown_days'))
        .where(sql<boolean>`d.date_key = -1`)
        .having(sql<boolean>`count(*) <> 1`),
    ),
  ],
});
