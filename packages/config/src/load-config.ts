import type { PlausibilityPolicy } from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

import { configSchema, type Scale } from './config-schema.ts';
import type { Redacted } from './redacted.ts';

/** Reelhouse's configuration, parsed once at the edge and frozen. URLs are `Redacted`. */
export interface ReelhouseConfig {
  readonly sourceDatabaseUrl: Redacted | undefined;
  readonly warehouseDatabaseUrl: Redacted | undefined;
  readonly mongodbUrl: Redacted | undefined;
  readonly dataDir: string;
  readonly seed: number;
  readonly scale: Scale;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly port: number;
  readonly cacheDir: string | undefined;
  readonly dockerHost: string | undefined;
  /** How the loaders apply the contracts' plausibility rules. */
  readonly plausibility: PlausibilityPolicy;
}

/**
 * Parses the environment into a frozen config. A bad value fails with every bad key named and
 * its rule, never with the value itself (it may hold a secret).
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReelhouseConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ReelhouseError({
      code: 'config_invalid',
      message: `Invalid configuration:\n  ${problems.join('\n  ')}`,
      context: { keys: parsed.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  const value = parsed.data;
  return Object.freeze({
    sourceDatabaseUrl: value.SOURCE_DATABASE_URL,
    warehouseDatabaseUrl: value.WAREHOUSE_DATABASE_URL,
    mongodbUrl: value.MONGODB_URL,
    dataDir: value.REELHOUSE_DATA_DIR,
    seed: value.REELHOUSE_SEED,
    scale: value.REELHOUSE_SCALE,
    logLevel: value.REELHOUSE_LOG_LEVEL,
    port: value.PORT,
    cacheDir: value.REELHOUSE_CACHE_DIR,
    dockerHost: value.DOCKER_HOST,
    plausibility: Object.freeze({
      actions: Object.freeze({
        future_timestamp: value.REELHOUSE_RULE_FUTURE_TIMESTAMP,
        unknown_country: value.REELHOUSE_RULE_UNKNOWN_COUNTRY,
        out_of_range_value: value.REELHOUSE_RULE_OUT_OF_RANGE_VALUE,
      }),
      futureToleranceHours: value.REELHOUSE_FUTURE_TOLERANCE_HOURS,
    }),
  });
}
