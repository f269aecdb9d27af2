import { describe, expect, it } from 'vitest';

import { answerableDimensions, periodBounds } from '../src/index.ts';

describe('periodBounds', () => {
  it('puts the previous period of the same length right before the current one', () => {
    expect(periodBounds({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      previousFrom: '2026-01-29',
      previousTo: '2026-02-28',
      fromKey: 20260301,
      toKey: 20260331,
      previousFromKey: 20260129,
      previousToKey: 20260228,
      days: 31,
    });
  });

  it('handles a single day across a year boundary', () => {
    expect(periodBounds({ from: '2026-01-01', to: '2026-01-01' })).toMatchObject({
      previousFrom: '2025-12-31',
      previousTo: '2025-12-31',
      days: 1,
    });
  });
});

describe('answerableDimensions', () => {
  it('lists the splits some source offers for all the metrics together', () => {
    expect(answerableDimensions(['subscribers', 'revenue_per_user'])).toEqual([
      'country',
      'region',
      'plan',
      'age_band',
      'gender',
      'subscription_status',
      'acquisition_channel',
      'currency',
    ]);
    expect(answerableDimensions(['sessions', 'rebuffer_ratio'])).toContain('hour_local');
    expect(answerableDimensions(['signups'])).toContain('month');
    expect(answerableDimensions(['signups'])).not.toContain('device');
  });
});
