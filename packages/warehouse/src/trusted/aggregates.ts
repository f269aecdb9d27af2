import type { ColumnType, Selectable } from 'kysely';

import type { BigIntNumber } from '../column-types.ts';

/**
 * Newest extraction among a row's sessions (the incremental build rebuilds days with newer ones).
 * Optional on insert: fixtures that write aggregates directly need not invent it.
 */
type ExtractedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * `trusted.agg_daily_usage`: sessions per day (UTC date of start), country, device, plan (as of
 * the session) and quality. Additive measures only, so any roll-up is a plain SUM.
 */
export interface AggDailyUsageTable {
  date_key: number;
  country_code: string;
  region: string;
  device_type: string;
  plan: string;
  quality: string;
  sessions: BigIntNumber;
  watch_seconds: BigIntNumber;
  completed_sessions: BigIntNumber;
  rebuffer_count: BigIntNumber;
  rebuffer_ms: BigIntNumber;
  startup_ms_total: BigIntNumber;
  /** Σ avg_bitrate_kbps × watch_duration_s: divide by watch_seconds for a time-weighted bitrate. */
  bitrate_kbps_seconds: BigIntNumber;
  bytes_transferred: BigIntNumber;
  _extracted_at: ExtractedAt;
}

/** `trusted.agg_daily_content`: engagement per day and playable item. */
export interface AggDailyContentTable {
  date_key: number;
  content_key: BigIntNumber;
  sessions: BigIntNumber;
  viewers: BigIntNumber;
  watch_seconds: BigIntNumber;
  completed_sessions: BigIntNumber;
  _extracted_at: ExtractedAt;
}

export type AggDailyUsage = Selectable<AggDailyUsageTable>;
export type AggDailyContent = Selectable<AggDailyContentTable>;
