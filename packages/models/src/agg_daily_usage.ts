import { sql, type AliasedRawBuilder } from 'kysely';

import { plans } from '@reelhouse/contracts';
import { defineModel, incremental, type RowOf } from '@reelhouse/model-compiler';

import {
  changedDays,
  changedDaysCte,
  changedGroupsCte,
  changedUserGroups,
  isChangedDay,
  isChangedGroup,
  type GroupColumn,
} from './changed-days.ts';
import { deltaGroups } from './changed-groups.ts';
import { dim_date } from './dim_date.ts';
import { dim_user } from './dim_user.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';

/** A user change can alter a group's plan only: groups are rebuilt by the rest of the key, every plan at once. */
const userGroupColumns: readonly GroupColumn[] = [
  'date_key',
  'country_code',
  'device_type',
  'quality',
];

/** Daily usage per session country, device, plan (as of the session) and quality: additive sums only. */
export const agg_daily_usage = defineModel({
  name: 'agg_daily_usage',
  description:
    'Sessions per UTC day, session country, device type, plan (the user version valid at the session) and quality, with additive measures only (counts and sums), so every roll-up is a plain SUM; averages divide two sums. Incremental: the days a change touched (new, corrected, moved or deleted sessions, users whose versions changed) are recomputed whole.',
  // The groups of the days a change touched replace their stored versions (see the select).
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['date_key', 'country_code', 'device_type', 'plan', 'quality'],
  }),
  tags: ['aggregate', 'dashboard'],
  select: (ctx) => {
    const aggregate = (rows: AliasedRawBuilder<RowOf<typeof fact_viewing_session>, 'f'>) =>
      ctx.db
        .selectFrom(rows)
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
    const query = aggregate(ctx.ref(fact_viewing_session, 'f'));
    if (!ctx.isIncremental) return query;
    // The groups (all plans) the fact's own run and dim_user's changed, from their deltas.
    const delta = deltaGroups(ctx, { columns: userGroupColumns, userPlans: true });
    if (delta !== undefined) return aggregate(delta.rows);
    // Otherwise (changes unknown): the groups of the days a change touched, recomputed; `deletes`
    // removes every stored group of those days first, so a group no session belongs to any more
    // disappears.
    return ctx.db
      .with(changedDaysCte, () => changedDays(ctx))
      .with(changedGroupsCte, () => changedUserGroups(ctx, userGroupColumns))
      .selectFrom(
        query
          .where((eb) =>
            eb.or([eb('f.date_key', '=', isChangedDay), isChangedGroup('f', userGroupColumns)]),
          )
          .as('fresh'),
      )
      .selectAll('fresh');
  },
  deletes: (ctx) => {
    // The stored groups' unique key.
    const storedKey = [
      sql<number>`a.date_key`.as('date_key'),
      sql<string>`a.country_code`.as('country_code'),
      sql<string>`a.device_type`.as('device_type'),
      sql<string>`a.plan`.as('plan'),
      sql<string>`a.quality`.as('quality'),
    ];
    const stored = ctx.db.selectFrom(ctx.self('a')).select(storedKey);
    const delta = deltaGroups(ctx, { columns: userGroupColumns, userPlans: true });
    if (delta !== undefined) return stored.where(delta.isChanged('a'));
    return ctx.db
      .with(changedDaysCte, () => changedDays(ctx))
      .with(changedGroupsCte, () => changedUserGroups(ctx, userGroupColumns))
      .selectFrom(ctx.self('a'))
      .select(storedKey)
      .where((eb) =>
        eb.or([
          sql<boolean>`"a"."date_key" = ${isChangedDay}`,
          isChangedGroup('a', userGroupColumns),
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
