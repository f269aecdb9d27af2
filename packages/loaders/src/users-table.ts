import { acquisitionChannels, dataFiles, genders, plans, subscriptionStatuses, userCsvRow, type userColumns } from '@reelhouse/contracts';

import { sqlList, type SourceColumn, type SourceTable } from './source-table.ts';

const columns = [
  { name: 'user_id', type: 'uuid', nullable: false },
  { name: 'email', type: 'text', nullable: false, check: String.raw`email ~ '^[a-z0-9._%+-]+@example\.com$'` },
  { name: 'first_name', type: 'text', nullable: false, check: `first_name <> ''` },
  { name: 'last_name', type: 'text', nullable: false, check: `last_name <> ''` },
  { name: 'birth_year', type: 'smallint', nullable: true, check: 'birth_year BETWEEN 1920 AND 2012' },
  { name: 'gender', type: 'text', nullable: true, check: `gender IN (${sqlList(genders)})` },
  { name: 'country_code', type: 'char2', nullable: false, check: `country_code ~ '^[A-Z]{2}$'` },
  { name: 'city', type: 'text', nullable: true },
  { name: 'preferred_language', type: 'text', nullable: false, check: `preferred_language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'` },
  { name: 'signup_ts', type: 'timestamptz', nullable: false },
  { name: 'plan', type: 'text', nullable: false, check: `plan IN (${sqlList(plans)})` },
  { name: 'monthly_price_cents', type: 'integer', nullable: false, check: 'monthly_price_cents BETWEEN 1 AND 9999' },
  { name: 'currency', type: 'char3', nullable: false, check: `currency ~ '^[A-Z]{3}$'` },
  { name: 'subscription_status', type: 'text', nullable: false, check: `subscription_status IN (${sqlList(subscriptionStatuses)})` },
  { name: 'cancelled_at', type: 'timestamptz', nullable: true },
  { name: 'acquisition_channel', type: 'text', nullable: false, check: `acquisition_channel IN (${sqlList(acquisitionChannels)})` },
  { name: 'marketing_opt_in', type: 'boolean', nullable: false },
  { name: 'updated_at', type: 'timestamptz', nullable: false },
] as const satisfies readonly (SourceColumn & { name: (typeof userColumns)[number] })[];

/** `users.csv` → `public.users`. */
export const usersTable: SourceTable = {
  file: dataFiles.users,
  table: 'users',
  key: 'user_id',
  columns,
  tableChecks: {
    users_cancelled_at_iff_cancelled: `(subscription_status = 'cancelled') = (cancelled_at IS NOT NULL)`,
    users_cancelled_after_signup: 'cancelled_at >= signup_ts',
  },
  orderedTimestamps: [['signup_ts', 'cancelled_at']],
  schema: userCsvRow,
};
