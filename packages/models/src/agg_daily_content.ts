import { sql, type AliasedRawBuilder } from 'kysely';

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
import { dim_content } from './dim_content.ts';
import { dim_date } from './dim_date.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';

/** The grain: a group to rebuild whole (a user change alters its viewers only). */
const groupColumns: readonly GroupColumn[] = ['date_key', 'content_key'];

/** Daily engagement per playable item. */
export const agg_daily_content = defineModel({
  name: 'agg_daily_content',
  description:
    'Engagement per UTC day and playable item: sessions, watch seconds and completed sessions are additive; viewers counts distinct users (user versions) within the row only, so it must not be summed across days. Incremental: the days a change touched (new, corrected, moved or deleted sessions, users whose versions changed) are recomputed whole.',
  // The groups of the days a change touched replace their stored versions (see the select).
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['date_key', 'content_key'],
  }),
  tags: ['aggregate', 'dashboard'],
  select: (ctx) => {
    const aggregate = (rows: AliasedRawBuilder<RowOf<typeof fact_viewing_session>, 'f'>) =>
      ctx.db
        .selectFrom(rows)
        .select((eb) => [
          'f.date_key',
          'f.content_key',
          sql<number>`count(*)`.as('sessions'),
          sql<number>`count(distinct ${eb.ref('f.user_key')})`.as('viewers'),
          sql<number>`sum(${eb.ref('f.watch_duration_s')})::bigint`.as('watch_seconds'),
          sql<number>`count(*) filter (where ${eb.ref('f.is_completed')})`.as('completed_sessions'),
          eb.fn.max('f._extracted_at').as('_extracted_at'),
        ])
        .groupBy(['f.date_key', 'f.content_key']);
    const query = aggregate(ctx.ref(fact_viewing_session, 'f'));
    if (!ctx.isIncremental) return query;
    // The groups the fact's own run changed, from its delta (see deltaGroups).
    const delta = deltaGroups(ctx, { columns: groupColumns, userPlans: false });
    if (delta !== undefined) return aggregate(delta.rows);
    // Otherwise (the fact's changes unknown): the groups of the days a change touched, recomputed;
    // `deletes` removes every stored group of those days first, so a group no session belongs to
    // any more disappears.
    return ctx.db
      .with(changedDaysCte, () => changedDays(ctx))
      .with(changedGroupsCte, () => changedUserGroups(ctx, groupColumns))
      .selectFrom(
        query
          .where((eb) =>
            eb.or([eb('f.date_key', '=', isChangedDay), isChangedGroup('f', groupColumns)]),
          )
          .as('fresh'),
      )
      .selectAll('fresh');
  },
  deletes: (ctx) => {
    const delta = deltaGroups(ctx, { columns: groupColumns, userPlans: false });
    const stored = ctx.db
      .selectFrom(ctx.self('a'))
      .select([
        sql<number>`a.date_key`.as('date_key'),
        sql<number>`a.content_key`.as('content_key'),
      ]);
    if (delta !== undefined) return stored.where(delta.isChanged('a'));
    return ctx.db
      .with(changedDaysCte, () => changedDays(ctx))
      .with(changedGroupsCte, () => changedUserGroups(ctx, groupColumns))
      .selectFrom(ctx.self('a'))
      .select([
        sql<number>`a.date_key`.as('date_key'),
        sql<number>`a.content_key`.as('content_key'),
      ])
      .where((eb) =>
        eb.or([sql<boolean>`"a"."date_key" = ${isChangedDay}`, isChangedGroup('a', groupColumns)]),
      );
  },
  contract: {
    columns: {
      date_key: { type: 'integer' },
      content_key: { type: 'bigint' },
      sessions: { type: 'bigint', check: 'sessions >= 0' },
      viewers: { type: 'bigint', check: 'viewers >= 0' },
      watch_seconds: { type: 'bigint' },
      completed_sessions: { type: 'bigint', check: 'completed_sessions >= 0' },
      _extracted_at: { type: 'timestamptz' },
    },
    primaryKey: ['date_key', 'content_key'],
    foreignKeys: [
      { columns: ['date_key'], references: dim_date, referencedColumns: ['date_key'] },
      { columns: ['content_key'], references: dim_content, referencedColumns: ['content_key'] },
    ],
  },
  tests: (t) => [
    t.custom('completed_within_sessions', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('a'))
        .select([
          sql<number>`a.date_key`.as('date_key'),
          sql<number>`a.content_key`.as('content_key'),
          sql<number>`a.sessions`.as('sessions'),
          sql<number>`a.completed_sessions`.as('completed_sessions'),
        ])
        .where(sql<boolean>`a.completed_sessions > a.sessions or a.viewers > a.sessions`),
    ),
  ],
});
