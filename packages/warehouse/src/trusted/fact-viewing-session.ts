import type { Selectable } from 'kysely';

import type { BigIntNumber, Timestamp } from '../column-types.ts';

/**
 * `trusted.fact_viewing_session`: one row per session. `user_key` is the dim_user version valid
 * at `started_at`; orphans point at the `-1` members. `start_hour_local` and `day_of_week_local`
 * are in the session country's time zone.
 */
export interface FactViewingSessionTable {
  session_id: string;
  user_key: BigIntNumber;
  content_key: BigIntNumber;
  date_key: number;
  started_at: Timestamp;
  ended_at: Timestamp;
  start_hour_local: number;
  day_of_week_local: number;
  device_type: string;
  device_os: string;
  country_code: string;
  region: string;
  quality: string;
  avg_bitrate_kbps: number;
  bytes_transferred: BigIntNumber;
  watch_duration_s: number;
  runtime_s: number | null;
  completion_ratio: number | null;
  is_completed: boolean;
  startup_ms: number;
  rebuffer_count: number;
  rebuffer_ms: number;
  exit_reason: string;
  is_offline: boolean;
  _load_id: string;
  /** When the session's raw row was extracted: the incremental build merges rows newer than the newest here. */
  _extracted_at: Timestamp;
}

export type FactViewingSession = Selectable<FactViewingSessionTable>;
