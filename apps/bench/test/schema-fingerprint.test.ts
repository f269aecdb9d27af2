import { describe, expect, it } from 'vitest';

import { requireSameFingerprint } from '../src/schema-fingerprint.ts';

describe('requireSameFingerprint', () => {
  it('passes equal fingerprints', () => {
    const same = { dim_user: '10:123', fact_viewing_session: '100:-5' };
    expect(() =>
      requireSameFingerprint({ expected: same, actual: { ...same }, what: 'trusted' }),
    ).not.toThrow();
  });

  it('names every table that differs or exists on one side only', () => {
    expect(() =>
      requireSameFingerprint({
        expected: { agg_daily_usage: '5:1', dim_user: '10:123', fact_viewing_session: '100:-5' },
        actual: { dim_user: '10:124', fact_viewing_session: '100:-5', extra: '1:1' },
        what: 'trusted after the daily run',
      }),
    ).toThrow('trusted after the daily run: tables differ: agg_daily_usage, dim_user, extra');
  });
});
