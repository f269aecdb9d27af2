import type { Insertable, Selectable } from 'kysely';

import type { BigIntNumber, Timestamp } from '../column-types.ts';
import type { ChangeMarkers } from './change-markers.ts';
import type { LoadMetadata } from './load-metadata.ts';

/** `raw.viewing_sessions`: the source table `viewing_sessions` as extracted, plus load metadata. */
export interface RawViewingSessionsTable extends LoadMetadata, ChangeMarkers {
  session_id: string;
  user_id: string;
  content_id: string;
  started_at: Timestamp;
  ended_at: Timestamp;
  watch_duration_s: number;
  position_start_s: number;
  position_end_s: number;
  device_type: string;
  device_os: string;
  app_version: string;
  country_code: string;
  quality: string;
  avg_bitrate_kbps: number;
  bytes_transferred: BigIntNumber;
  startup_ms: number;
  rebuffer_count: number;
  rebuffer_ms: number;
  exit_reason: string;
  is_offline: boolean;
  updated_at: Timestamp;
}

export type RawViewingSession = Selectable<RawViewingSessionsTable>;
export type NewRawViewingSession = Insertable<RawViewingSessionsTable>;
