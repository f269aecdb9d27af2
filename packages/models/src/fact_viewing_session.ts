import { sql } from 'kysely';

import { deviceTypes, exitReasons, qualities } from '@reelhouse/contracts';
import { defineModel, incremental } from '@reelhouse/model-compiler';

import { dim_content } from './dim_content.ts';
import { dim_date } from './dim_date.ts';
import { dim_user } from './dim_user.ts';
import { ref_country } from './ref_country.ts';
import { stg_viewing_sessions } from './stg_viewing_sessions.ts';
import { changedItemsOfBuild } from './changed-items.ts';
import { changedUserStartsOfBuild, coveredUntil } from './changes-since.ts';

/** A session counts as completed when the player says so or at least this share of the runtime was watched. */
const completedShare = 0.9;

/** One row per viewing session, with keys to the user version valid at its start, the item and the day. */
export const fact_viewing_session = defineModel({
  name: 'fact_viewing_session',
  description:
    'One row per viewing session: user_key is the dim_user version valid at started_at, content_key the playable item, date_key the UTC day of the start; hour and weekday are local to the session country. Orphan users or items, and erased users, point at the -1 members. Incremental: merges the sessions extracted since the last build, the sessions of users whose versions changed since and those of items whose key or runtime a catalogue change since altered; removes the sessions deleted at the source.',
  materialization: incremental({ strategy: 'merge', uniqueKey: ['session_id'] }),
  tags: ['fact'],
  select: (ctx) => {
    const query = ctx.db
      .selectFrom(ctx.ref(stg_viewing_sessions, 's'))
      // A range join on the natural key: hash join on user_id, then the validity interval.
      .leftJoin(ctx.ref(dim_user, 'u'), (join) =>
        join
          .onRef('u.user_id', '=', 's.user_id')
          // An erased user's versions are no one's: the session counts under the unknown member.
          .on('u.subscription_status', '<>', sql.lit('erased'))
          .onRef('u.valid_from', '<=', 's.started_at')
          .on((eb) =>
            eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>', eb.ref('s.started_at'))]),
          ),
      )
      .leftJoin(ctx.ref(dim_content, 'c'), 'c.content_id', 's.content_id')
      .leftJoin(ctx.ref(ref_country, 'k'), 'k.country_code', 's.country_code')
      // The day through a (tiny) hash join rather than to_char per row; a day outside dim_date gets -1.
      .leftJoin(ctx.ref(dim_date, 'd'), (join) =>
        join.on((eb) =>
          eb('d.full_date', '=', sql<string>`(${eb.ref('s.started_at')} at time zone 'UTC')::date`),
        ),
      )
      .select((eb) => {
        const localStart = sql`(${eb.ref('s.started_at')} at time zone coalesce(${eb.ref('k.time_zone')}, 'UTC'))`;
        // Unknown runtime gives no ratio (GREATEST would turn the null into 0).
        const watched = sql<number>`${eb.ref('s.watch_duration_s')}::double precision / ${eb.ref('c.runtime_s')}`;
        const ratio = sql<
          number | null
        >`case when ${eb.ref('c.runtime_s')} > 0 then least(1.0, greatest(0.0, ${watched})) end`;
        return [
          's.session_id',
          sql<number>`coalesce(${eb.ref('u.user_key')}, -1)`.as('user_key'),
          sql<number>`coalesce(${eb.ref('c.content_key')}, -1)`.as('content_key'),
          sql<number>`coalesce(${eb.ref('d.date_key')}, -1)`.as('date_key'),
          's.started_at',
          's.ended_at',
          // date_part (double) is cheaper than extract (numeric) over millions of rows.
          sql<number>`date_part('hour', ${localStart})::smallint`.as('start_hour_local'),
          sql<number>`date_part('isodow', ${localStart})::smallint`.as('day_of_week_local'),
          's.device_type',
          's.device_os',
          's.country_code',
          sql<string>`coalesce(${eb.ref('k.region')}, 'unknown')`.as('region'),
          's.quality',
          's.avg_bitrate_kbps',
          's.bytes_transferred',
          's.watch_duration_s',
          'c.runtime_s',
          ratio.as('completion_ratio'),
          sql<boolean>`(${eb.ref('s.exit_reason')} = 'completed' or coalesce(${eb.ref('s.watch_duration_s')} >= ${sql.lit(completedShare)} * ${eb.ref('c.runtime_s')}, false))`.as(
            'is_completed',
          ),
          's.startup_ms',
          's.rebuffer_count',
          's.rebuffer_ms',
          's.exit_reason',
          's.is_offline',
          's._load_id',
          's._extracted_at',
        ];
      });
    if (!ctx.isIncremental) return query;
    // Three sets of sessions, each read by its own index and planned as its own branch, then
    // merged by `union` (a session in two sets gives two identical rows):
    // - those extracted after the newest one already merged (raw loads are atomic, so a load is
    //   either wholly before or wholly after that instant);
    // - those of the users whose versions changed since (late users, changes, erasures), from the
    //   earliest start at which a session's version may differ: an earlier session matches the
    //   same version as before, or none, so its row would not change (changedUserStartsOfBuild);
    // - those of the items a catalogue change gave a new key or runtime (late or corrected items).
    // One `or` of the three had PostgreSQL recheck every fetched session against the changed
    // users' array one element at a time (it hashes `= any` of a constant array only): at 10M
    // sessions, rows × changed users made the fact's daily delta slower than its full build.
    const covered = coveredUntil(ctx);
    const extractedSince = query
      .where('s._extracted_at', '>', covered)
      // No filter, but it makes PostgreSQL estimate the pair as a narrow range (not a third of
      // the table), so the staging view probes the key index for the new rows.
      .where('s._extracted_at', '<', sql<Date>`'infinity'::timestamptz`);
    const ofChangedUsers = query.innerJoin(
      changedUserStartsOfBuild(ctx, covered).as('cu'),
      (join) =>
        join.onRef('cu.user_id', '=', 's.user_id').onRef('cu.valid_from', '<=', 's.started_at'),
    );
    const ofChangedItems = query.where(
      's.content_id',
      '=',
      sql<string>`any(array(${changedItemsOfBuild(ctx, covered)}))`,
    );
    return extractedSince.union(ofChangedUsers).union(ofChangedItems);
  },
  // Sessions deleted at the source since the last build leave the fact.
  deletes: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.viewing_sessions__history', 'h'))
      .select(sql<string>`lower(trim(h.session_id::text))`.as('session_id'))
      .where('h._op', '=', sql.lit('delete'))
      .where('h._extracted_at', '>', coveredUntil(ctx))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.source('raw.viewing_sessions', 'live'))
              .select(sql.lit(1).as('one'))
              .whereRef('live.session_id', '=', 'h.session_id'),
          ),
        ),
      ),
  contract: {
    columns: {
      session_id: { type: 'text' },
      user_key: { type: 'bigint' },
      content_key: { type: 'bigint' },
      date_key: { type: 'integer' },
      started_at: { type: 'timestamptz' },
      ended_at: { type: 'timestamptz' },
      start_hour_local: { type: 'smallint', check: 'start_hour_local between 0 and 23' },
      day_of_week_local: { type: 'smallint', check: 'day_of_week_local between 1 and 7' },
      device_type: { type: 'text' },
      device_os: { type: 'text' },
      country_code: { type: 'text' },
      region: { type: 'text' },
      quality: { type: 'text' },
      avg_bitrate_kbps: { type: 'integer' },
      bytes_transferred: { type: 'bigint' },
      watch_duration_s: { type: 'integer' },
      runtime_s: { type: 'integer', nullable: true },
      completion_ratio: {
        type: 'double precision',
        nullable: true,
        check: 'completion_ratio between 0 and 1',
      },
      is_completed: { type: 'boolean' },
      startup_ms: { type: 'integer' },
      rebuffer_count: { type: 'smallint' },
      rebuffer_ms: { type: 'integer' },
      exit_reason: { type: 'text' },
      is_offline: { type: 'boolean' },
      _load_id: { type: 'text' },
      _extracted_at: { type: 'timestamptz' },
    },
    primaryKey: ['session_id'],
    foreignKeys: [
      { columns: ['user_key'], references: dim_user, referencedColumns: ['user_key'] },
      { columns: ['content_key'], references: dim_content, referencedColumns: ['content_key'] },
      { columns: ['date_key'], references: dim_date, referencedColumns: ['date_key'] },
    ],
    // Led by date_key and content_key as before; the rest of each is an aggregate's group, so an
    // incremental aggregate reads the rows of a changed group by index (see changed-groups.ts).
    indexes: [
      ['_extracted_at'],
      ['date_key', 'country_code', 'device_type', 'quality'],
      ['user_key'],
      ['content_key', 'date_key'],
    ],
  },
  // Keys, NOT NULL and foreign keys are constraints (a violation fails the build): tests check what they cannot.
  tests: (t) => [
    t.acceptedValues('device_type', deviceTypes),
    t.acceptedValues('quality', qualities),
    t.acceptedValues('exit_reason', exitReasons),
    // Orphans are kept (pointing at -1) and reported, not failed: the quality report counts them.
    t.custom(
      'orphan_sessions',
      (ctx, self) =>
        ctx.db
          .selectFrom(sql`${sql.raw(self)}`.as('f'))
          .select([
            sql<string>`f.session_id`.as('session_id'),
            sql<number>`f.user_key`.as('user_key'),
            sql<number>`f.content_key`.as('content_key'),
          ])
          .where(sql<boolean>`f.user_key = -1 or f.content_key = -1`),
      { severity: 'warn' },
    ),
  ],
});
