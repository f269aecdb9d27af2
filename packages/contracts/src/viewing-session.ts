import { z } from 'zod';

import { csvBoolean, csvInt, csvTimestamp, csvUuid, countryCode } from './csv-fields.ts';
import { deviceTypes, exitReasons, qualities } from './enums.ts';

/** Column order of `viewing_sessions.csv` and of the source table `viewing_sessions`. */
export const viewingSessionColumns = [
  'session_id',
  'user_id',
  'content_id',
  'started_at',
  'ended_at',
  'watch_duration_s',
  'position_start_s',
  'position_end_s',
  'device_type',
  'device_os',
  'app_version',
  'country_code',
  'quality',
  'avg_bitrate_kbps',
  'bytes_transferred',
  'startup_ms',
  'rebuffer_count',
  'rebuffer_ms',
  'exit_reason',
  'is_offline',
  'updated_at',
] as const;

export type ViewingSessionColumn = (typeof viewingSessionColumns)[number];

const nonNegative = csvInt.refine((n) => n >= 0, 'must not be negative');

/** One line of `viewing_sessions.csv`, parsed from its text cells, with the cross-field rules. */
export const viewingSessionCsvRow = z
  .object({
    session_id: csvUuid,
    user_id: csvUuid,
    content_id: z
      .string()
      .regex(/^(mov|ep)_[0-9a-z_]+$/, 'must be a movie id mov_… or an episode id ep_…'),
    started_at: csvTimestamp,
    ended_at: csvTimestamp,
    watch_duration_s: nonNegative.refine((n) => n <= 6 * 3600, 'must be at most 6 hours'),
    position_start_s: nonNegative,
    position_end_s: nonNegative,
    device_type: z.enum(deviceTypes),
    device_os: z.string().min(1, 'required'),
    app_version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 8.12.0'),
    country_code: countryCode,
    quality: z.enum(qualities),
    avg_bitrate_kbps: csvInt.refine(
      (n) => n >= 100 && n <= 40_000,
      'must be between 100 and 40000',
    ),
    // bigint range; a JS number is exact up to 2^53, far beyond any session's bytes.
    bytes_transferred: nonNegative,
    startup_ms: nonNegative.refine((n) => n <= 120_000, 'must be at most 120000'),
    rebuffer_count: nonNegative.refine((n) => n <= 32_767, 'must fit a smallint'),
    rebuffer_ms: nonNegative,
    exit_reason: z.enum(exitReasons),
    is_offline: csvBoolean,
    updated_at: csvTimestamp,
  })
  .check((ctx) => {
    const row = ctx.value;
    if (row.ended_at < row.started_at) {
      ctx.issues.push({
        code: 'custom',
        path: ['ended_at'],
        message: 'must not be before started_at',
        input: row.ended_at,
      });
    }
    if (row.position_end_s < row.position_start_s) {
      ctx.issues.push({
        code: 'custom',
        path: ['position_end_s'],
        message: 'must not be before position_start_s',
        input: row.position_end_s,
      });
    }
  });

export type ViewingSession = z.output<typeof viewingSessionCsvRow>;
