import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';

import { loadConfig, redactUrl } from '../src/index.ts';

function configError(env: Record<string, string>): ReelhouseError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ReelhouseError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('applies defaults to an empty environment and freezes the result', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: 'data',
      seed: 42,
      scale: 'small',
      logLevel: 'info',
      port: 3000,
    });
    expect(config.sourceDatabaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ SOURCE_DATABASE_URL: '  ', REELHOUSE_SEED: '' }).seed).toBe(42);
  });

  it('names every bad key at once, with its rule', () => {
    const error = configError({
      SOURCE_DATABASE_URL: 'not a url',
      REELHOUSE_SCALE: 'huge',
      MONGODB_URL: 'postgres://x/y',
    });
    expect(error.code).toBe('config_invalid');
    expect(error.retryable).toBe(false);
    expect(error.context['keys']).toEqual(
      expect.arrayContaining(['SOURCE_DATABASE_URL', 'REELHOUSE_SCALE', 'MONGODB_URL']),
    );
    expect(error.message).toContain(
      'SOURCE_DATABASE_URL: must be a postgres:// or postgresql:// URL',
    );
    expect(error.message).toContain('REELHOUSE_SCALE');
  });

  it('never prints a password, in messages, JSON, strings or inspect', () => {
    const secret = 's3cr3t-pw';
    const config = loadConfig({ WAREHOUSE_DATABASE_URL: `postgres://app:${secret}@db:5432/dw` });
    const url = config.warehouseDatabaseUrl;
    expect(url?.expose()).toBe(`postgres://app:${secret}@db:5432/dw`);
    for (const printed of [
      String(url),
      JSON.stringify(config),
      inspect(config),
      `${url?.toString()}`,
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(String(url)).toBe('postgres://app:***@db:5432/dw');
    const error = configError({ REELHOUSE_SEED: 'abc', MONGODB_URL: `http://u:${secret}@h` });
    expect(error.message).not.toContain(secret);
  });

  it('redacts only the password part of a URL', () => {
    expect(redactUrl('mongodb://127.0.0.1:27017/x')).toBe('mongodb://127.0.0.1:27017/x');
    expect(redactUrl('garbage')).toBe('[unparseable url]');
  });

  it('issue 16: reads the plausibility rules as reject, warn or accept, and refuses anything else', () => {
    expect(loadConfig({}).plausibility).toEqual({
      actions: {
        future_timestamp: 'reject',
        unknown_country: 'reject',
        out_of_range_value: 'reject',
      },
      futureToleranceHours: 24,
    });
    expect(
      loadConfig({ REELHOUSE_RULE_UNKNOWN_COUNTRY: 'warn', REELHOUSE_FUTURE_TOLERANCE_HOURS: '2' })
        .plausibility,
    ).toMatchObject({ actions: { unknown_country: 'warn' }, futureToleranceHours: 2 });
    expect(configError({ REELHOUSE_RULE_FUTURE_TIMESTAMP: 'ignore' }).message).toContain(
      'REELHOUSE_RULE_FUTURE_TIMESTAMP',
    );
  });
});
