import type { Insertable, Selectable } from 'kysely';

import type { BigIntNumber, Timestamp } from '../column-types.ts';
import type { ChangeMarkers, HistoryMetadata, LoadMetadata } from './load-metadata.ts';

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

type SessionColumns = Omit<
  RawViewingSessionsTable,
  keyof LoadMetadata | keyof ChangeMarkers | 'session_id'
>;

/** `raw.viewing_sessions__history`: every extracted version of a session, append-only (unique `session_id, _change_seq`). */
export type RawViewingSessionsHistoryTable = { session_id: string } & {
  [Column in keyof SessionColumns]: SessionColumns[Column] | null;
} & HistoryMetadata;

export type RawViewingSession = Selectable<RawViewingSessionsTable>;
export type NewRawViewingSession = Insertable<RawViewingSessionsTable>;
