import { z } from 'zod';

import { plausibilityActions } from '@reelhouse/contracts';

import { Redacted } from './redacted.ts';

export const scales = ['tiny', 'small', 'medium', 'large'] as const;
export type Scale = (typeof scales)[number];

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
    message: 'must be a postgres:// or postgresql:// URL',
  })
  .transform((value) => Redacted.url(value));

const mongoUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^mongodb(\+srv)?:$/.test(new URL(value).protocol), {
    message: 'must be a mongodb:// or mongodb+srv:// URL',
  })
  .transform((value) => Redacted.url(value));

// An empty variable counts as unset, as in most twelve-factor tools.
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const ruleAction = z.enum(plausibilityActions).default('reject');

/** The environment variables Reelhouse reads, each with its rule and default. */
export const configSchema = z.object({
  /** PostgreSQL of the source system (users, viewing sessions). Unset: found or started by @reelhouse/services. */
  SOURCE_DATABASE_URL: z.preprocess(blankAsUnset, databaseUrl.optional()),
  /** PostgreSQL of the warehouse (schemas raw, trusted, ops). Unset: found or started by @reelhouse/services. */
  WAREHOUSE_DATABASE_URL: z.preprocess(blankAsUnset, databaseUrl.optional()),
  /** MongoDB (or a MongoDB-wire server) holding the content catalogue. Unset: found or started by @reelhouse/services. */
  MONGODB_URL: z.preprocess(blankAsUnset, mongoUrl.optional()),
  /** Folder holding generated data, one sub-folder per scale and seed. */
  REELHOUSE_DATA_DIR: z.preprocess(blankAsUnset, z.string().default('data')),
  /** Seed of the synthetic data. */
  REELHOUSE_SEED: z.preprocess(blankAsUnset, z.coerce.number().int().nonnegative().default(42)),
  /** Default size preset of the synthetic data. */
  REELHOUSE_SCALE: z.preprocess(blankAsUnset, z.enum(scales).default('small')),
  /** Minimum level of structured logs. */
  REELHOUSE_LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ),
  /** Port of the dashboard. */
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(65535).default(3000)),
  /** Plausibility rule `future_timestamp` (a timestamp after now plus the tolerance): reject, warn or accept. */
  REELHOUSE_RULE_FUTURE_TIMESTAMP: z.preprocess(blankAsUnset, ruleAction),
  /** Plausibility rule `unknown_country` (a user or session country outside the service's markets). */
  REELHOUSE_RULE_UNKNOWN_COUNTRY: z.preprocess(blankAsUnset, ruleAction),
  /** Plausibility rule `out_of_range_value` (a date before the earliest plausible one). */
  REELHOUSE_RULE_OUT_OF_RANGE_VALUE: z.preprocess(blankAsUnset, ruleAction),
  /** How far ahead of the wall clock a source timestamp may be before `future_timestamp` applies. */
  REELHOUSE_FUTURE_TOLERANCE_HOURS: z.preprocess(
    blankAsUnset,
    z.coerce.number().nonnegative().default(24),
  ),
  /** Container engine for testcontainers, when not at the default socket. */
  DOCKER_HOST: z.preprocess(blankAsUnset, z.string().optional()),
  /** Folder where @reelhouse/services keeps servers it builds or starts (FerretDB binary, data). */
  REELHOUSE_CACHE_DIR: z.preprocess(blankAsUnset, z.string().optional()),
});
