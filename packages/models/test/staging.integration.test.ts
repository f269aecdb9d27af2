import { describe, expect, it } from 'vitest';

import { buildModelInIsolation, sourceRows } from '@reelhouse/model-compiler/testing';

import {
  stg_content,
  stg_content_cast,
  stg_content_genres,
  stg_episodes,
  stg_users,
  stg_viewing_sessions,
} from '../src/index.ts';
import { catalogue } from './fixtures/catalogue.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';
import { stagedCatalogue } from './fixtures/staged-catalogue.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_staging');

describe('stg_users', () => {
  it('trims, normalises casing and keeps the latest version of each user', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: stg_users,
      inputs: [
        sourceRows('raw.users', [
          rawUser({
            user_id: 'u1',
            email: ' Ada@Example.COM ',
            plan: 'Premium ',
            country_code: 'us',
            gender: ' Female',
            currency: 'usd',
            city: ' ',
          }),
          rawUser({
            user_id: 'u2',
            plan: 'basic_ads',
            updated_at: new Date('2024-01-01T00:00:00Z'),
          }),
          rawUser({
            user_id: 'u2',
            plan: 'standard',
            updated_at: new Date('2024-02-01T00:00:00Z'),
          }),
        ]),
      ],
    });
    expect(
      rows.map((r) => [r.user_id, r.email, r.plan, r.country_code, r.gender, r.currency, r.city]),
    ).toEqual([
      ['u1', 'ada@example.com', 'premium', 'US', 'female', 'USD', null],
      ['u2', 'u2@example.com', 'standard', 'US', 'female', 'USD', 'Boston'],
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });
});

describe('stg_viewing_sessions', () => {
  it('keeps one row per session, the latest update, with vocabularies cleaned', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: stg_viewing_sessions,
      inputs: [
        sourceRows('raw.viewing_sessions', [
          rawSession({
            session_id: 's1',
            device_type: ' Smart_TV',
            quality: 'hd',
            exit_reason: 'Completed',
            country_code: 'jp ',
          }),
          rawSession({
            session_id: 's2',
            watch_duration_s: 60,
            updated_at: new Date('2024-02-10T20:01:00Z'),
          }),
          rawSession({
            session_id: 's2',
            watch_duration_s: 900,
            updated_at: new Date('2024-02-10T20:15:00Z'),
          }),
          // An exact duplicate (same update, same extraction) still yields one row.
          rawSession({ session_id: 's3' }),
          rawSession({ session_id: 's3' }),
        ]),
      ],
    });
    expect(
      rows.map((r) => [
        r.session_id,
        r.device_type,
        r.quality,
        r.exit_reason,
        r.country_code,
        r.watch_duration_s,
      ]),
    ).toEqual([
      ['s1', 'smart_tv', 'HD', 'completed', 'JP', 1800],
      ['s2', 'smart_tv', 'HD', 'user_exit', 'US', 900],
      ['s3', 'smart_tv', 'HD', 'user_exit', 'US', 1800],
    ]);
  });
});

describe('content staging', () => {
  it('stg_content: one row per title, trimmed, ratings renamed', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: stg_content,
      inputs: [sourceRows('raw.content', catalogue.content)],
    });
    expect(
      rows.map((r) => [
        r.content_id,
        r.content_type,
        r.title,
        r.maturity_rating,
        r.runtime_min,
        r.rating_imdb_score,
      ]),
    ).toEqual([
      ['mov_1', 'movie', 'The Long Night', 'PG-13', 100, 7.1],
      ['ser_1', 'series', 'Harbour Lights', 'TV-14', null, null],
    ]);
  });

  it('stg_episodes: episodes with their series and season number', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: stg_episodes,
      inputs: [
        sourceRows('raw.content__seasons', catalogue.seasons),
        sourceRows('raw.content__seasons__episodes', catalogue.episodes),
      ],
    });
    expect(rows).toEqual(stagedCatalogue.episodes);
  });

  it('stg_content_genres: lower-cased, each genre once, ranked by position', async () => {
    const repeated = {
      ...catalogue.genres[0]!,
      _list_idx: 2,
      _row_id: 'mov_1/genres/2',
      value: 'THRILLER',
    };
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: stg_content_genres,
      inputs: [sourceRows('raw.content__genres', [...catalogue.genres, repeated])],
    });
    expect(rows).toEqual([
      { content_id: 'mov_1', genre: 'drama', genre_rank: 1 },
      { content_id: 'mov_1', genre: 'thriller', genre_rank: 0 },
      { content_id: 'ser_1', genre: 'crime', genre_rank: 0 },
    ]);
  });

  it('stg_content_cast: each person once per title, top billing', async () => {
    const cameo = {
      ...catalogue.cast[0]!,
      _list_idx: 1,
      _row_id: 'mov_1/cast/1',
      character: 'Mara (older)',
      billing_order: 5,
    };
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: stg_content_cast,
      inputs: [sourceRows('raw.content__cast', [...catalogue.cast, cameo])],
    });
    expect(rows).toEqual(stagedCatalogue.cast);
  });
});
