import { describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '@reelhouse/model-compiler/testing';

import {
  dim_content,
  dim_date,
  ref_country,
  stg_content,
  stg_content_genres,
  stg_episodes,
} from '../src/index.ts';
import { dateRow } from './fixtures/date-row.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';
import { stagedCatalogue } from './fixtures/staged-catalogue.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_dimensions');

describe('ref_country', () => {
  it('holds the contracts countries seed with regions and time zones', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, { model: ref_country, inputs: [] });
    expect(rows).toHaveLength(24);
    expect(rows.find((r) => r.country_code === 'JP')).toEqual({
      country_code: 'JP',
      country_name: 'Japan',
      region: 'APAC',
      time_zone: 'Asia/Tokyo',
      currency: 'JPY',
    });
  });
});

describe('dim_date', () => {
  it('covers whole years from the first sign-up to the last session ever extracted, plus the -1 day', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: dim_date,
      inputs: [
        // No one cancelled: a column of nulls needs its type declared.
        sourceRows(
          'raw.users__history',
          [rawUser({ user_id: 'u1', signup_ts: new Date('2023-06-30T23:30:00Z') })],
          { cancelled_at: 'timestamptz' },
        ),
        sourceRows('raw.viewing_sessions__history', [
          rawSession({ session_id: 's1', started_at: new Date('2024-02-29T10:00:00Z') }),
        ]),
      ],
    });
    expect(rows).toHaveLength(1 + 365 + 366);
    expect(rows[0]).toEqual(dateRow(-1));
    expect(rows[1]?.date_key).toBe(20230101);
    expect(rows.at(-1)?.date_key).toBe(20241231);
    expect(rows.find((r) => r.date_key === 20240229)).toEqual({
      date_key: 20240229,
      full_date: '2024-02-29',
      year: 2024,
      quarter: 1,
      month: 2,
      month_name: 'February',
      iso_week: 9,
      day_of_month: 29,
      day_of_week: 4,
      day_name: 'Thursday',
      is_weekend: false,
    });
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('reaches the year of the last cancellation when it is later than every session', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: dim_date,
      inputs: [
        sourceRows(
          'raw.users__history',
          [
            rawUser({ user_id: 'u1', signup_ts: new Date('2023-06-30T23:30:00Z') }),
            rawUser({
              user_id: 'u2',
              subscription_status: 'cancelled',
              cancelled_at: new Date('2025-01-03T00:00:00Z'),
            }),
          ],
          { cancelled_at: 'timestamptz' },
        ),
        sourceRows('raw.viewing_sessions__history', [
          rawSession({ session_id: 's1', started_at: new Date('2024-02-29T10:00:00Z') }),
        ]),
      ],
    });
    expect(rows.at(-1)?.date_key).toBe(20251231);
  });
});

describe('dim_content', () => {
  it('has one row per movie and episode, episodes carrying their series attributes, plus -1', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: dim_content,
      inputs: [
        modelRows(stg_content, stagedCatalogue.titles),
        modelRows(stg_episodes, stagedCatalogue.episodes),
        modelRows(stg_content_genres, stagedCatalogue.genres),
      ],
    });
    expect(
      rows.map((r) => [
        r.content_id,
        r.content_type,
        r.title,
        r.series_title,
        r.season_number,
        r.episode_number,
        r.runtime_s,
        r.primary_genre,
        r.maturity_rating,
        r.is_original,
      ]),
    ).toEqual([
      ['unknown', 'unknown', 'Unknown', null, null, null, null, 'unknown', null, null],
      ...[
        ['ep_1_1_1', 'episode', 'Pilot', 'Harbour Lights', 1, 1, 3000, 'crime', 'TV-14', false],
        ['ep_1_1_2', 'episode', 'Tides', 'Harbour Lights', 1, 2, 3000, 'crime', 'TV-14', false],
        ['mov_1', 'movie', 'The Long Night', null, null, null, 6000, 'thriller', 'PG-13', true],
      ].sort(
        (a, b) =>
          (rows.find((r) => r.content_id === a[0])?.content_key ?? 0) -
          (rows.find((r) => r.content_id === b[0])?.content_key ?? 0),
      ),
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('derives content_key from content_id alone, so a rebuild keeps every key', async () => {
    const build = () =>
      buildModelInIsolation(warehouse.db, {
        model: dim_content,
        inputs: [
          modelRows(stg_content, stagedCatalogue.titles),
          modelRows(stg_episodes, stagedCatalogue.episodes),
          modelRows(stg_content_genres, stagedCatalogue.genres),
        ],
      });
    const first = await build();
    const onlyMovie = await buildModelInIsolation(warehouse.db, {
      model: dim_content,
      inputs: [
        modelRows(stg_content, stagedCatalogue.titles.slice(0, 1)),
        modelRows(stg_episodes, []),
        modelRows(stg_content_genres, []),
      ],
    });
    const second = await build();
    expect(second.rows).toEqual(first.rows);
    const movieKey = first.rows.find((r) => r.content_id === 'mov_1')?.content_key;
    expect(onlyMovie.rows.find((r) => r.content_id === 'mov_1')?.content_key).toBe(movieKey);
    expect(Number.isSafeInteger(movieKey)).toBe(true);
  });
});
