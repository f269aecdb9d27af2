import {
  acquisitionChannels,
  dataFiles,
  genders,
  plans,
  subscriptionStatuses,
  userCsvRow,
  type userColumns,
} from '@reelhouse/contracts';

import type { SourceColumn, SourceTable } from './source-table.ts';

const columns = [
  { name: 'user_id', type: 'uuid', nullable: false, rule: { kind: 'uuid' } },
  {
    name: 'email',
    type: 'text',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^[a-z0-9._%+-]+@example\.com$/ },
  },
  { name: 'first_name', type: 'text', nullable: false, rule: { kind: 'non_empty' } },
  { name: 'last_name', type: 'text', nullable: false, rule: { kind: 'non_empty' } },
  {
    name: 'birth_year',
    type: 'smallint',
    nullable: true,
    rule: { kind: 'int', min: 1920, max: 2012 },
  },
  { name: 'gender', type: 'text', nullable: true, rule: { kind: 'enum', values: genders } },
  {
    name: 'country_code',
    type: 'char2',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^[A-Z]{2}$/ },
  },
  { name: 'city', type: 'text', nullable: true, rule: { kind: 'any' } },
  {
    name: 'preferred_language',
    type: 'text',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^[a-z]{2,3}(-[A-Z]{2})?$/ },
  },
  { name: 'signup_ts', type: 'timestamptz', nullable: false, rule: { kind: 'timestamp' } },
  { name: 'plan', type: 'text', nullable: false, rule: { kind: 'enum', values: plans } },
  {
    name: 'monthly_price_cents',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 1, max: 9_999_999 },
  },
  {
    name: 'currency',
    type: 'char3',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^[A-Z]{3}$/ },
  },
  {
    name: 'subscription_status',
    type: 'text',
    nullable: false,
    rule: { kind: 'enum', values: subscriptionStatuses },
  },
  { name: 'cancelled_at', type: 'timestamptz', nullable: true, rule: { kind: 'timestamp' } },
  {
    name: 'acquisition_channel',
    type: 'text',
    nullable: false,
    rule: { kind: 'enum', values: acquisitionChannels },
  },
  { name: 'marketing_opt_in', type: 'boolean', nullable: false, rule: { kind: 'boolean' } },
  { name: 'updated_at', type: 'timestamptz', nullable: false, rule: { kind: 'timestamp' } },
] as const satisfies readonly (SourceColumn & { name: (typeof userColumns)[number] })[];

const status = columns.findIndex((column) => column.name === 'subscription_status');
const cancelledAt = columns.findIndex((column) => column.name === 'cancelled_at');

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
  crossFieldRule: (cells) => (cells[status] === 'cancelled') === (cells[cancelledAt] !== ''),
  schema: userCsvRow,
};
