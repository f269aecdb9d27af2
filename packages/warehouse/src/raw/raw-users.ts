import type { Insertable, Selectable } from 'kysely';

import type { Timestamp } from '../column-types.ts';
import type { ChangeMarkers } from './change-markers.ts';
import type { LoadMetadata } from './load-metadata.ts';

/** `raw.users`: the source table `users` as extracted, plus load metadata. */
export interface RawUsersTable extends LoadMetadata, ChangeMarkers {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  birth_year: number | null;
  gender: string | null;
  country_code: string;
  city: string | null;
  preferred_language: string;
  signup_ts: Timestamp;
  plan: string;
  monthly_price_cents: number;
  currency: string;
  subscription_status: string;
  cancelled_at: Timestamp | null;
  acquisition_channel: string;
  marketing_opt_in: boolean;
  updated_at: Timestamp;
}

export type RawUser = Selectable<RawUsersTable>;
export type NewRawUser = Insertable<RawUsersTable>;
