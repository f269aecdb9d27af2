import { describe, expect, it } from 'vitest';

import type { RowOf } from '@reelhouse/model-compiler';
import { buildModelInIsolation, modelRows } from '@reelhouse/model-compiler/testing';

import {
  agg_daily_content,
  agg_daily_usage,
  dim_content,
  dim_date,
  dim_user,
  fact_viewing_session,
  stg_viewing_sessions,
} from '../src/index.ts';
import { dateRow } from './fixtures/date-row.ts';
import { noChangeHistory } from './fixtures/no-change-history.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_aggregates');

const member = {
  email_sha256: null,
  age_band: 'unknown',
  gender: 'unknown',
  country_code: 'US',
  region: 'UCAN',
  preferred_language: null,
  monthly_price_cents: null,
  currency: null,
  subscription_status: 'active',
  signup_date_key: -1,
  cancelled_date_key: null,
  acquisition_channel: 'organic',
  valid_to: null,
  is_current: true,
  valid_from: new Date('2023-01-01T00:00:00Z'),
  _extracted_at: null,
};
const users = [
  { ...member, user_key: -1, user_id: 'unknown', plan: 'unknown' },
  { ...member, user_key: 1, user_id: 'u1', plan: 'standard' },
  { ...member, user_key: 2, user_id: 'u2', plan: 'premium' },
];
const item = {
  content_type: 'movie',
  title: 'T',
  series_id: null,
  series_title: null,
  season_number: null,
  episode_number: null,
  runtime_s: 6000,
  release_date: null,
  primary_genre: 'drama',
  maturity_rating: null,
  original_language: null,
  is_original: null,
  rating_internal_avg: null,
  rating_imdb_score: null,
};
const items = [
  { ...item, content_key: -1, content_id: 'unknown' },
  { ...item, content_key: 7, content_id: 'mov_1' },
];
const session: RowOf<typeof fact_viewing_session> = {
  session_id: 's',
  user_key: 1,
  content_key: 7,
  date_key: 20240210,
  started_at: new Date('2024-02-10T20:00:00Z'),
  ended_at: new Date('2024-02-10T20:30:00Z'),
  start_hour_local: 15,
  day_of_week_local: 6,
  device_type: 'smart_tv',
  device_os: 'tizen',
  country_code: 'US',
  region: 'UCAN',
  quality: 'HD',
  avg_bitrate_kbps: 3000,
  bytes_transferred: 1_000,
  watch_duration_s: 1800,
  runtime_s: 6000,
  completion_ratio: 0.3,
  is_completed: false,
  startup_ms: 900,
  rebuffer_count: 1,
  rebuffer_ms: 400,
  exit_reason: 'user_exit',
  is_offline: false,
  _load_id: 'load-1',
  _extracted_at: new Date('2024-03-01T00:00:00Z'),
};
const sessions = [
  session,
  {
    ...session,
    session_id: 's2',
    watch_duration_s: 6000,
    avg_bitrate_kbps: 5800,
    is_completed: true,
    rebuffer_count: 0,
    rebuffer_ms: 0,
    startup_ms: 1100,
  },
  { ...session, session_id: 's3', user_key: 2 },
  { ...session, session_id: 's4', user_key: -1, content_key: -1, date_key: 20240211 },
];
const inputs = [
  modelRows(fact_viewing_session, sessions),
  modelRows(dim_user, users),
  modelRows(dim_content, items),
  modelRows(dim_date, [dateRow(-1), dateRow(20240210), dateRow(20240211)]),
  modelRows(stg_viewing_sessions, []),
  ...noChangeHistory,
];

describe('agg_daily_usage', () => {
  it('sums additive measures per day, country, device, plan as of the session and quality', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: agg_daily_usage,
      inputs,
    });
    expect(
      rows.map((r) => [
        r.date_key,
        r.plan,
        r.sessions,
        r.watch_seconds,
        r.completed_sessions,
        r.rebuffer_count,
        r.startup_ms_total,
        r.bitrate_kbps_seconds,
        r.bytes_transferred,
      ]),
    ).toEqual([
      [20240210, 'premium', 1, 1800, 0, 1, 900, 3000 * 1800, 1000],
      [20240210, 'standard', 2, 7800, 1, 1, 2000, 3000 * 1800 + 5800 * 6000, 2000],
      [20240211, 'unknown', 1, 1800, 0, 1, 900, 3000 * 1800, 1000],
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });
});

describe('agg_daily_usage, incrementally', () => {
  it('recomputes the days with newly extracted sessions, removing groups their sessions left', async () => {
    const first = await buildModelInIsolation(warehouse.db, { model: agg_daily_usage, inputs });
    const later = { _extracted_at: new Date('2024-03-02T00:00:00Z') };
    const changed = sessions.map((s) =>
      s.session_id === 's3' ? { ...s, quality: 'UHD', ...later } : s,
    );
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: agg_daily_usage,
      inputs: [modelRows(fact_viewing_session, changed), ...inputs.slice(1)],
      existing: first.rows,
    });
    expect(rows.map((r) => [r.date_key, r.plan, r.quality, r.sessions, r.watch_seconds])).toEqual([
      [20240210, 'premium', 'UHD', 1, 1800],
      [20240210, 'standard', 'HD', 2, 7800],
      [20240211, 'unknown', 'HD', 1, 1800],
    ]);
  });
});

describe('agg_daily_content', () => {
  it('counts sessions, distinct viewers, watch time and completions per day and item', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: agg_daily_content,
      inputs,
    });
    expect(rows).toEqual([
      {
        date_key: 20240210,
        content_key: 7,
        sessions: 3,
        viewers: 2,
        watch_seconds: 9600,
        completed_sessions: 1,
        _extracted_at: session._extracted_at,
      },
      {
        date_key: 20240211,
        content_key: -1,
        sessions: 1,
        viewers: 1,
        watch_seconds: 1800,
        completed_sessions: 0,
        _extracted_at: session._extracted_at,
      },
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });
});

describe('agg_daily_content, incrementally', () => {
  it('recomputes the days with newly extracted sessions, removing items their sessions left', async () => {
    const first = await buildModelInIsolation(warehouse.db, { model: agg_daily_content, inputs });
    const later = { _extracted_at: new Date('2024-03-02T00:00:00Z') };
    // The orphan session s4 is re-extracted as a play of mov_1.
    const changed = sessions.map((s) =>
      s.session_id === 's4' ? { ...s, content_key: 7, ...later } : s,
    );
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: agg_daily_content,
      inputs: [modelRows(fact_viewing_session, changed), ...inputs.slice(1)],
      existing: first.rows,
    });
    expect(rows.map((r) => [r.date_key, r.content_key, r.sessions, r.viewers])).toEqual([
      [20240210, 7, 3, 2],
      [20240211, 7, 1, 1],
    ]);
  });
});
