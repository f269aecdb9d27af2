import { z } from 'zod';

import {
  csvBoolean,
  csvInt,
  csvOptionalInt,
  csvOptionalText,
  csvOptionalTimestamp,
  csvText,
  csvTimestamp,
  csvUuid,
  countryCode,
  currencyCode,
} from './csv-fields.ts';
import { acquisitionChannels, genders, plans, subscriptionStatuses } from './enums.ts';

/** Column order of `users.csv` and of the source table `users`. */
export const userColumns = [
  'user_id',
  'email',
  'first_name',
  'last_name',
  'birth_year',
  'gender',
  'country_code',
  'city',
  'preferred_language',
  'signup_ts',
  'plan',
  'monthly_price_cents',
  'currency',
  'subscription_status',
  'cancelled_at',
  'acquisition_channel',
  'marketing_opt_in',
  'updated_at',
] as const;

export type UserColumn = (typeof userColumns)[number];

/** One line of `users.csv`, parsed from its text cells, with the cross-field rules. */
export const userCsvRow = z
  .object({
    user_id: csvUuid,
    email: z
      .string()
      .regex(/^[a-z0-9._%+-]+@example\.com$/, 'must be a lower-case @example.com address'),
    first_name: csvText,
    last_name: csvText,
    birth_year: csvOptionalInt.refine(
      (y) => y === null || (y >= 1920 && y <= 2012),
      'must be between 1920 and 2012',
    ),
    gender: z.union([z.literal('').transform(() => null), z.enum(genders)]),
    country_code: countryCode,
    city: csvOptionalText,
    preferred_language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a BCP 47 tag like en-US'),
    signup_ts: csvTimestamp,
    plan: z.enum(plans),
    // Minor units of the local currency: KRW or COP prices run to six or seven digits.
    monthly_price_cents: csvInt.refine(
      (cents) => cents > 0 && cents < 10_000_000,
      'must be between 1 and 9999999',
    ),
    currency: currencyCode,
    subscription_status: z.enum(subscriptionStatuses),
    cancelled_at: csvOptionalTimestamp,
    acquisition_channel: z.enum(acquisitionChannels),
    marketing_opt_in: csvBoolean,
    updated_at: csvTimestamp,
  })
  .check((ctx) => {
    const row = ctx.value;
    if ((row.subscription_status === 'cancelled') !== (row.cancelled_at !== null)) {
      ctx.issues.push({
        code: 'custom',
        path: ['cancelled_at'],
        message: 'must be set exactly when subscription_status is cancelled',
        input: row.cancelled_at,
      });
    }
    if (row.cancelled_at !== null && row.cancelled_at < row.signup_ts) {
      ctx.issues.push({
        code: 'custom',
        path: ['cancelled_at'],
        message: 'must not be before signup_ts',
        input: row.cancelled_at,
      });
    }
  });

/** A user as the source system holds it (timestamps stay ISO text to keep microseconds). */
export type User = z.output<typeof userCsvRow>;
