import { describe, expect, it } from 'vitest';

import {
  contentDocument,
  countries,
  regions,
  userColumns,
  userCsvRow,
  viewingSessionColumns,
  viewingSessionCsvRow,
} from '../src/index.ts';

const user = {
  user_id: '0b6f1c7e-2a7d-4c59-9f0e-3d1c2b4a5e6f',
  email: 'ana.silva.42@example.com',
  first_name: 'Ana',
  last_name: 'Silva',
  birth_year: '1991',
  gender: 'female',
  country_code: 'BR',
  city: '',
  preferred_language: 'pt-BR',
  signup_ts: '2023-02-11T18:03:44.120Z',
  plan: 'standard',
  monthly_price_cents: '3990',
  currency: 'BRL',
  subscription_status: 'active',
  cancelled_at: '',
  acquisition_channel: 'organic',
  marketing_opt_in: 'true',
  updated_at: '2024-01-01T00:00:00.000123Z',
};

const session = {
  session_id: '6a1f7c3e-9b2d-4e8f-a1c3-5d7e9f0a2b4c',
  user_id: user.user_id,
  content_id: 'ep_ser_12_s1e3',
  started_at: '2025-05-02T23:10:00.000Z',
  ended_at: '2025-05-02T23:40:00.000Z',
  watch_duration_s: '1800',
  position_start_s: '0',
  position_end_s: '1800',
  device_type: 'smart_tv',
  device_os: 'Tizen',
  app_version: '8.12.0',
  country_code: 'BR',
  quality: 'FHD',
  avg_bitrate_kbps: '5800',
  bytes_transferred: '1305000000',
  startup_ms: '850',
  rebuffer_count: '1',
  rebuffer_ms: '420',
  exit_reason: 'completed',
  is_offline: 'false',
  updated_at: '2025-05-02T23:40:00.000Z',
};

function issuePaths(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[] }[] };
}): string[] {
  return result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
}

describe('users.csv contract', () => {
  it('parses a valid line into typed values, empty cells as null', () => {
    const parsed = userCsvRow.parse(user);
    expect(parsed).toMatchObject({
      birth_year: 1991,
      city: null,
      monthly_price_cents: 3990,
      marketing_opt_in: true,
      cancelled_at: null,
    });
    expect(parsed.updated_at).toBe('2024-01-01T00:00:00.000123Z');
  });

  it.each([
    ['email', { email: 'Ana@Example.com' }],
    ['country_code', { country_code: 'br' }],
    ['plan', { plan: 'Premium' }],
    ['birth_year', { birth_year: 'abc' }],
    ['monthly_price_cents', { monthly_price_cents: '-5' }],
    ['signup_ts', { signup_ts: '02/11/2023' }],
    ['first_name', { first_name: '' }],
  ])('names the field %s when it breaks the contract', (field, change) => {
    expect(issuePaths(userCsvRow.safeParse({ ...user, ...change }))).toContain(field);
  });

  it('requires cancelled_at exactly when the subscription is cancelled', () => {
    expect(issuePaths(userCsvRow.safeParse({ ...user, subscription_status: 'cancelled' }))).toEqual(
      ['cancelled_at'],
    );
    expect(
      issuePaths(userCsvRow.safeParse({ ...user, cancelled_at: '2024-01-01T00:00:00.000Z' })),
    ).toEqual(['cancelled_at']);
    expect(
      userCsvRow.safeParse({
        ...user,
        subscription_status: 'cancelled',
        cancelled_at: '2024-01-01T00:00:00.000Z',
      }).success,
    ).toBe(true);
  });

  it('lists the columns in file order', () => {
    expect(userColumns).toEqual(Object.keys(user));
  });
});

describe('viewing_sessions.csv contract', () => {
  it('parses a valid line', () => {
    expect(viewingSessionCsvRow.parse(session)).toMatchObject({
      watch_duration_s: 1800,
      is_offline: false,
      bytes_transferred: 1_305_000_000,
    });
    expect(viewingSessionColumns).toEqual(Object.keys(session));
  });

  it('rejects a session that ends before it starts, naming ended_at', () => {
    expect(
      issuePaths(
        viewingSessionCsvRow.safeParse({ ...session, ended_at: '2025-05-02T22:00:00.000Z' }),
      ),
    ).toEqual(['ended_at']);
  });

  it.each([
    ['content_id', { content_id: 'ser_12' }],
    ['quality', { quality: '4K' }],
    ['device_type', { device_type: 'SmartTV' }],
    ['app_version', { app_version: 'v8' }],
  ])('names the field %s when it breaks the contract', (field, change) => {
    expect(issuePaths(viewingSessionCsvRow.safeParse({ ...session, ...change }))).toContain(field);
  });
});

describe('content.json contract', () => {
  const base = {
    title: 'Night Shift',
    original_language: 'en',
    release_date: '2021-03-14',
    maturity_rating: 'TV-14',
    genres: ['drama'],
    production_countries: ['US'],
    is_original: true,
    available_qualities: ['HD', 'FHD'],
    audio_languages: ['en'],
    subtitle_languages: ['es'],
    cast: [
      { person_id: 'per_1', name: 'Jo Park', role: 'actor', character: 'Nurse', billing_order: 1 },
    ],
    crew: [{ person_id: 'per_2', name: 'Lee Ray', role: 'director' }],
    ratings: { internal: { avg: 4.1, count: 1200 }, imdb: null },
    licensing: { window_start: '2021-03-01', window_end: null, regions: ['UCAN'] },
    updated_at: '2025-01-01T00:00:00.000Z',
  };

  it('accepts a series with seasons and episodes and a movie with a runtime', () => {
    const series = {
      _id: 'ser_1',
      type: 'series',
      ...base,
      seasons: [
        {
          season_number: 1,
          release_date: '2021-03-14',
          episodes: [
            {
              episode_id: 'ep_ser_1_s1e1',
              episode_number: 1,
              title: 'Pilot',
              runtime_min: 52,
              release_date: '2021-03-14',
            },
          ],
        },
      ],
    };
    expect(contentDocument.safeParse(series).success).toBe(true);
    expect(
      contentDocument.safeParse({ _id: 'mov_1', type: 'movie', ...base, runtime_min: 104 }).success,
    ).toBe(true);
  });

  it('rejects unknown fields and wrong types with their path', () => {
    expect(
      issuePaths(
        contentDocument.safeParse({ _id: 'mov_1', type: 'movie', ...base, runtime_min: '104' }),
      ),
    ).toEqual(['runtime_min']);
    expect(
      contentDocument.safeParse({
        _id: 'mov_1',
        type: 'movie',
        ...base,
        runtime_min: 104,
        extra: 1,
      }).success,
    ).toBe(false);
  });
});

describe('countries seed', () => {
  it('covers every region with unique codes and valid time zones', () => {
    expect(new Set(countries.map((c) => c.region))).toEqual(new Set(regions));
    expect(new Set(countries.map((c) => c.code)).size).toBe(countries.length);
    for (const country of countries)
      expect(() => new Intl.DateTimeFormat('en', { timeZone: country.timeZone })).not.toThrow();
  });
});
