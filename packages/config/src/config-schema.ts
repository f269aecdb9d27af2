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
  /** Interface the dashboard listens on; anything but loopback requires DASHBOARD_TOKEN or DASHBOARD_BASIC_AUTH. */
  HOST: z.preprocess(blankAsUnset, z.string().trim().min(1).default('127.0.0.1')),
  /** Bearer token the dashboard requires (`Authorization: Bearer <token>`), at least 16 characters. */
  DASHBOARD_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .transform((value) => new Redacted(value, '***'))
      .optional(),
  ),
  /** `user:password` the dashboard requires through HTTP basic authentication. */
  DASHBOARD_BASIC_AUTH: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[^:]+:.{8,}$/, 'must be user:password with a password of at least 8 characters')
      .transform((value) => new Redacted(value, `${value.split(':')[0]}:***`))
      .optional(),
  ),
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
  /** Shell command run when a scheduled or backfill run fails (gets REELHOUSE_RUN_ID, REELHOUSE_TASK_ID, REELHOUSE_ERROR and the JSON on stdin). */
  REELHOUSE_NOTIFY_COMMAND: z.preprocess(blankAsUnset, z.string().optional()),
  /** URL a JSON notice is POSTed to when a scheduled or backfill run fails. */
  REELHOUSE_NOTIFY_WEBHOOK: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: 'must be an http:// or https:// URL',
      })
      .transform((value) => Redacted.url(value))
      .optional(),
  ),
  /**
   * Seconds of changes the extractor rereads before its last load's snapshot, on top of its exact
   * cursor (the source's transaction bound, the catalogue's change sequence). 0 rereads nothing.
   */
  REELHOUSE_EXTRACT_LOOKBACK_SECONDS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().min(0).max(2_592_000).default(0),
  ),
  /** Folder where @reelhouse/services keeps servers it builds or starts (FerretDB binary, data). */
  REELHOUSE_CACHE_DIR: z.preprocess(blankAsUnset, z.string().optional()),
});
