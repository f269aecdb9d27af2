import { sql, type AliasedRawBuilder } from 'kysely';

import { plans } from '@reelhouse/contracts';
import { defineModel, incremental } from '@reelhouse/model-compiler';
import type { AggDailyUsage } from '@reelhouse/warehouse';

import { isNewSessionDay, newSessionDays, newSessionDaysCte } from './days-with-new-sessions.ts';
import { dim_date } from './dim_date.ts';
import { dim_user } from './dim_user.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';

/** The measures of a group no session belongs to any more. */
const zeroMeasures = [
  sql<number>`0::bigint`.as('sessions'),
  sql<number>`0::bigint`.as('watch_seconds'),
  sql<number>`0::bigint`.as('completed_sessions'),
  sql<number>`0::bigint`.as('rebuffer_count'),
  sql<number>`0::bigint`.as('rebuffer_ms'),
  sql<number>`0::bigint`.as('startup_ms_total'),
  sql<number>`0::bigint`.as('bitrate_kbps_seconds'),
  sql<number>`0::bigint`.as('bytes_transferred'),
] as const;

/** Daily usage per session country, device, plan (as of the session) and quality: additive sums only. */
export const agg_daily_usage = defineModel({
  name: 'agg_daily_usage',
  description:
    'Sessions per UTC day, session country, device type, plan (the user version valid at the session) and quality, with additive measures only (counts and sums), so every roll-up is a plain SUM; averages divide two sums. Incremental: the groups of the days holding newly extracted sessions are recomputed.',
  // The groups of the days holding new sessions replace their stored versions (see the select).
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['date_key', 'country_code', 'device_type', 'plan', 'quality'],
  }),
  tags: ['aggregate', 'dashboard'],
  select: (ctx) => {
    const query = ctx.db
      .selectFrom(ctx.ref(fact_viewing_session, 'f'))
      .innerJoin(ctx.ref(dim_user, 'u'), 'u.user_key', 'f.user_key')
      .select((eb) => [
        'f.date_key',
        'f.country_code',
        'f.region',
        'f.device_type',
        'u.plan',
        'f.quality',
        sql<number>`count(*)`.as('sessions'),
        sql<number>`sum(${eb.ref('f.watch_duration_s')})::bigint`.as('watch_seconds'),
        sql<number>`count(*) filter (where ${eb.ref('f.is_completed')})`.as('completed_sessions'),
        sql<number>`sum(${eb.ref('f.rebuffer_count')})::bigint`.as('rebuffer_count'),
        sql<number>`sum(${eb.ref('f.rebuffer_ms')})::bigint`.as('rebuffer_ms'),
        sql<number>`sum(${eb.ref('f.startup_ms')})::bigint`.as('startup_ms_total'),
        sql<number>`sum(${eb.ref('f.avg_bitrate_kbps')}::bigint * ${eb.ref('f.watch_duration_s')})::bigint`.as(
          'bitrate_kbps_seconds',
        ),
        sql<number>`sum(${eb.ref('f.bytes_transferred')})::bigint`.as('bytes_transferred'),
        eb.fn.max('f._extracted_at').as('_extracted_at'),
      ])
      .groupBy([
        'f.date_key',
        'f.country_code',
        'f.region',
        'f.device_type',
        'u.plan',
        'f.quality',
      ]);
    if (!ctx.isIncremental) return query;
    // The groups of the days holding new sessions, recomputed; a group of those days that no
    // session belongs to any more (a re-extracted session changed quality, say) is emitted with
    // zero measures, so that it replaces the stale counts.
    const self = () => ctx.self('a') as unknown as AliasedRawBuilder<AggDailyUsage, 'a'>;
    return ctx.db
      .with(newSessionDaysCte, () => newSessionDays(ctx))
      .with('fresh', () => query.where('f.date_key', '=', isNewSessionDay))
      .selectFrom('fresh')
      .selectAll()
      .unionAll((eb) =>
        eb
          .selectFrom(self())
          .where('a.date_key', '=', isNewSessionDay)
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom('fresh as n')
                  .select(sql.lit(1).as('one'))
                  .whereRef('n.date_key', '=', 'a.date_key')
                  .whereRef('n.country_code', '=', 'a.country_code')
                  .whereRef('n.device_type', '=', 'a.device_type')
                  .whereRef('n.plan', '=', 'a.plan')
                  .whereRef('n.quality', '=', 'a.quality'),
              ),
            ),
          )
          .select((inner) => [
            'a.date_key',
            'a.country_code',
            'a.region',
            'a.device_type',
            'a.plan',
            'a.quality',
            ...zeroMeasures,
            inner.ref('a._extracted_at').as('_extracted_at'),
          ]),
      );
  },
  contract: {
    columns: {
      date_key: { type: 'integer' },
      country_code: { type: 'text' },
      region: { type: 'text' },
      device_type: { type: 'text' },
      plan: { type: 'text' },
      quality: { type: 'text' },
      sessions: { type: 'bigint', check: 'sessions >= 0' },
      watch_seconds: { type: 'bigint' },
      completed_sessions: { type: 'bigint', check: 'completed_sessions >= 0' },
      rebuffer_count: { type: 'bigint' },
      rebuffer_ms: { type: 'bigint' },
      startup_ms_total: { type: 'bigint' },
      bitrate_kbps_seconds: { type: 'bigint' },
      bytes_transferred: { type: 'bigint' },
      _extracted_at: { type: 'timestamptz' },
    },
    primaryKey: ['date_key', 'country_code', 'device_type', 'plan', 'quality'],
    foreignKeys: [{ columns: ['date_key'], references: dim_date, referencedColumns: ['date_key'] }],
  },
  tests: (t) => [t.acceptedValues('plan', [...plans, 'unknown'])],
});
