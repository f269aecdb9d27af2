import type { Selectable } from 'kysely';

import type { BigIntNumber, Timestamp } from '../column-types.ts';

/**
 * `trusted.dim_user`: SCD type 2 over plan, subscription status and country. `user_key` is derived
 * from `(user_id, valid_from)`, so it is stable across rebuilds; `-1` is the unknown member.
 * PII stays in `raw`: only a SHA-256 of the email is kept, and an erased user's versions keep no
 * personal attribute (subscription_status `erased`).
 */
export interface DimUserTable {
  user_key: BigIntNumber;
  user_id: string;
  email_sha256: string | null;
  age_band: string;
  gender: string;
  country_code: string;
  region: string;
  preferred_language: string | null;
  plan: string;
  monthly_price_cents: number | null;
  currency: string | null;
  subscription_status: string;
  signup_date_key: number;
  /** The UTC day (yyyymmdd) the subscription was cancelled; null unless cancelled. */
  cancelled_date_key: number | null;
  acquisition_channel: string;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  is_current: boolean;
  /** The latest extraction of the raw history rows this version derives from; null for `-1`. */
  _extracted_at: Timestamp | null;
}

export type DimUser = Selectable<DimUserTable>;
