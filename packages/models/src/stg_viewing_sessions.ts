import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Sessions as extracted, typed and cleaned; the latest `updated_at` wins when a session_id repeats. */
export const stg_viewing_sessions = defineModel({
  name: 'stg_viewing_sessions',
  description:
    'Viewing sessions from raw.viewing_sessions: trimmed, casing normalised, one row per session_id (latest updated_at).',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.viewing_sessions', 's'))
      // An anti-join rather than DISTINCT ON, so that the fact's incremental filter on
      // `_extracted_at` pushes down through the view; ctid breaks exact ties between duplicates.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.source('raw.viewing_sessions', 'newer'))
              .select(sql.lit(1).as('one'))
              .whereRef('newer.session_id', '=', 's.session_id')
              .where(
                (inner) =>
                  sql<boolean>`(${inner.ref('newer.updated_at')}, ${inner.ref('newer._extracted_at')}, newer.ctid) > (${inner.ref('s.updated_at')}, ${inner.ref('s._extracted_at')}, s.ctid)`,
              ),
          ),
        ),
      )
      .select((eb) => [
        sql<string>`lower(trim(${eb.ref('s.session_id')}::text))`.as('session_id'),
        sql<string>`lower(trim(${eb.ref('s.user_id')}::text))`.as('user_id'),
        sql<string>`trim(${eb.ref('s.content_id')})`.as('content_id'),
        's.started_at',
        's.ended_at',
        's.watch_duration_s',
        's.position_start_s',
        's.position_end_s',
        sql<string>`lower(trim(${eb.ref('s.device_type')}))`.as('device_type'),
        sql<string>`trim(${eb.ref('s.device_os')})`.as('device_os'),
        sql<string>`trim(${eb.ref('s.app_version')})`.as('app_version'),
        sql<string>`upper(trim(${eb.ref('s.country_code')}))`.as('country_code'),
        sql<string>`upper(trim(${eb.ref('s.quality')}))`.as('quality'),
        's.avg_bitrate_kbps',
        's.bytes_transferred',
        's.startup_ms',
        's.rebuffer_count',
        's.rebuffer_ms',
        sql<string>`lower(trim(${eb.ref('s.exit_reason')}))`.as('exit_reason'),
        's.is_offline',
        's.updated_at',
        's._change_seq',
        's._changed_at',
        's._load_id',
        's._extracted_at',
      ]),
  contract: {
    columns: {
      session_id: { type: 'text' },
      user_id: { type: 'text' },
      content_id: { type: 'text' },
      started_at: { type: 'timestamptz' },
      ended_at: { type: 'timestamptz' },
      watch_duration_s: { type: 'integer' },
      position_start_s: { type: 'integer' },
      position_end_s: { type: 'integer' },
      device_type: { type: 'text' },
      device_os: { type: 'text' },
      app_version: { type: 'text' },
      country_code: { type: 'text' },
      quality: { type: 'text' },
      avg_bitrate_kbps: { type: 'integer' },
      bytes_transferred: { type: 'bigint' },
      startup_ms: { type: 'integer' },
      rebuffer_count: { type: 'smallint' },
      rebuffer_ms: { type: 'integer' },
      exit_reason: { type: 'text' },
      is_offline: { type: 'boolean' },
      updated_at: { type: 'timestamptz' },
      _change_seq: { type: 'bigint' },
      _changed_at: { type: 'timestamptz' },
      _load_id: { type: 'text' },
      _extracted_at: { type: 'timestamptz' },
    },
  },
  // No tests here: each would evaluate this view (and its deduplication) over every raw session on
  // every build. The fact checks the same columns, on each incremental delta only.
});
