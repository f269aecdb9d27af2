import { describe, expect, it } from 'vitest';

import {
  checkPlausibility,
  defaultPlausibilityPolicy,
  type PlausibilityPolicy,
} from '../src/index.ts';

const now = new Date('2026-12-04T12:00:00.000Z');
const user = {
  signup_ts: '2024-01-01T10:00:00.000Z',
  cancelled_at: '',
  updated_at: '2024-02-01T10:00:00.000Z',
  country_code: 'DE',
};

describe('checkPlausibility (issue 16)', () => {
  it('passes a plausible user', () => {
    expect(
      checkPlausibility({
        file: 'users.csv',
        record: user,
        policy: defaultPlausibilityPolicy,
        now,
      }),
    ).toEqual([]);
  });

  it('names the rule, the field and the reason of each violation', () => {
    const record = {
      ...user,
      signup_ts: '1970-01-01T00:00:00Z',
      updated_at: '2031-05-01T00:00:00Z',
      country_code: 'XX',
    };
    expect(
      checkPlausibility({ file: 'users.csv', record, policy: defaultPlausibilityPolicy, now }),
    ).toEqual([
      {
        rule: 'future_timestamp',
        field: 'updated_at',
        reason:
          'updated_at: 2031-05-01T00:00:00Z is in the future (later than 2026-12-05T12:00:00Z, now plus 24 h)',
      },
      {
        rule: 'unknown_country',
        field: 'country_code',
        reason: 'country_code: XX is not a country the service operates in',
      },
      {
        rule: 'out_of_range_value',
        field: 'signup_ts',
        reason:
          'signup_ts: 1970-01-01T00:00:00Z is before 2000-01-01T00:00:00Z, out of the plausible range',
      },
    ]);
  });

  it('keeps a timestamp within the tolerance and skips rules set to accept', () => {
    const record = { ...user, updated_at: '2026-12-05T11:59:59.999Z', country_code: 'XX' };
    const policy: PlausibilityPolicy = {
      ...defaultPlausibilityPolicy,
      actions: { ...defaultPlausibilityPolicy.actions, unknown_country: 'accept' },
    };
    expect(checkPlausibility({ file: 'users.csv', record, policy, now })).toEqual([]);
  });

  it('reads nested content fields: a catalogue updated_at in 2099, an episode released in 1850', () => {
    const document = {
      release_date: '2001-01-01',
      updated_at: '2099-01-01T00:00:00Z',
      seasons: [{ release_date: '2001-01-01', episodes: [{ release_date: '1850-01-01' }] }],
    };
    expect(
      checkPlausibility({
        file: 'content.json',
        record: document,
        policy: defaultPlausibilityPolicy,
        now,
      }).map((v) => [v.rule, v.field]),
    ).toEqual([
      ['future_timestamp', 'updated_at'],
      ['out_of_range_value', 'seasons.*.episodes.*.release_date'],
    ]);
  });
});
