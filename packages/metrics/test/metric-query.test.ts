import { ReelhouseError } from '@reelhouse/core';
import { describe, expect, it } from 'vitest';

import { parseMetricQuery } from '../src/index.ts';

const valid = { metrics: ['sessions'], from: '2026-03-01', to: '2026-03-31' };

function problemsOf(input: unknown): readonly string[] {
  try {
    parseMetricQuery(input);
  } catch (error) {
    if (ReelhouseError.is(error) && error.code === 'invalid_input')
      return error.context['problems'] as string[];
    throw error;
  }
  throw new Error('expected an invalid_input error');
}

describe('parseMetricQuery', () => {
  it('fills defaults for a minimal query', () => {
    expect(parseMetricQuery(valid)).toEqual({ ...valid, dimensions: [], filters: {}, limit: 100 });
  });

  it('parses integer filter values from URL text', () => {
    expect(parseMetricQuery({ ...valid, filters: { hour_local: ['20'] } }).filters).toEqual({
      hour_local: [20],
    });
  });

  it('rejects an unknown metric and an unknown dimension by name', () => {
    expect(
      problemsOf({ ...valid, metrics: ['sessions', 'profit'], dimensions: ['planet'] }),
    ).toEqual(["metrics.1: unknown metric 'profit'", "dimensions.0: unknown dimension 'planet'"]);
  });

  it('rejects inverted and malformed dates', () => {
    expect(problemsOf({ ...valid, from: '2026-04-01' })).toEqual([
      "to: 'to' (2026-03-31) is before 'from' (2026-04-01)",
    ]);
    expect(problemsOf({ ...valid, to: '2026-02-30' })).toEqual([
      'to: must be an ISO date (YYYY-MM-DD)',
    ]);
  });

  it('rejects oversize lists and limits', () => {
    const many = Array.from({ length: 51 }, (_, index) => `c${index}`);
    expect(problemsOf({ ...valid, filters: { device: many }, limit: 5000 })).toEqual([
      'filters.device: at most 50 values',
      'limit: Too big: expected number to be <=1000',
    ]);
  });

  it('rejects SQL fragments in filter values and unknown keys', () => {
    expect(
      problemsOf({
        ...valid,
        filters: { country: ["US' OR 1=1 --"], title: ['x; drop table trusted.dim_user'] },
      }),
    ).toEqual([
      'filters.country.0: must be an upper-case ISO country code',
      'filters.title.0: must be plain text (letters, digits, spaces, basic punctuation)',
    ]);
    expect(problemsOf({ ...valid, orderBy: '1; select pg_sleep(10)' })).toEqual([
      'Unrecognized key: "orderBy"',
    ]);
  });
});
