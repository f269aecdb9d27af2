import type { Insertable, Selectable } from 'kysely';

import type { Timestamp } from '../column-types.ts';
import type { ChangeMarkers, HistoryMetadata, LoadMetadata } from './load-metadata.ts';

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

/** The source columns of `users`, each nullable in the history (tombstones and erasures null them). */
type UserColumns = Omit<RawUsersTable, keyof LoadMetadata | keyof ChangeMarkers | 'user_id'>;

/**
 * `raw.users__history`: every extracted version of a user, append-only (unique `user_id,
 * _change_seq`). An erasure (a `users` tombstone) nulls `email`, `first_name`, `last_name`, `city`
 * and `birth_year` in every row of that user; nothing else ever updates it.
 */
export type RawUsersHistoryTable = { user_id: string } & {
  [Column in keyof UserColumns]: UserColumns[Column] | null;
} & HistoryMetadata;

export type RawUser = Selectable<RawUsersTable>;
export type NewRawUser = Insertable<RawUsersTable>;
