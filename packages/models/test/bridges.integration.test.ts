import { describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '@reelhouse/model-compiler/testing';

import {
  bridge_content_cast,
  bridge_content_genre,
  dim_content,
  stg_content,
  stg_content_cast,
  stg_content_genres,
  stg_episodes,
} from '../src/index.ts';
import { stagedCatalogue } from './fixtures/staged-catalogue.ts';
import { unknownContentRow } from './fixtures/unknown-content-row.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_bridges');

const at = (day: number) => new Date(Date.UTC(2024, 2, day));
/** Extractions of the two titles' documents: a bridge row carries its title's newest. */
const history = sourceRows('raw.content__history', [
  { content_id: 'mov_1', _op: 'upsert', _change_seq: 1, _extracted_at: at(1) },
  { content_id: ' ser_1', _op: 'upsert', _change_seq: 2, _extracted_at: at(1) },
  { content_id: 'ser_1', _op: 'upsert', _change_seq: 3, _extracted_at: at(2) },
]);
/** The current rows' own extraction times (a full refresh renews them). */
const current = sourceRows('raw.content', [
  { content_id: 'mov_1', _extracted_at: at(1) },
  { content_id: 'ser_1', _extracted_at: at(1) },
]);

describe('content bridges', () => {
  const dimension = [
    unknownContentRow,
    {
      content_key: 10,
      content_id: 'mov_1',
      content_type: 'movie',
      title: 'The Long Night',
      series_id: null,
      series_title: null,
      season_number: null,
      episode_number: null,
      runtime_s: 6000,
      release_date: '2020-05-01',
      primary_genre: 'thriller',
      maturity_rating: 'PG-13',
      original_language: 'en',
      is_original: true,
      rating_internal_avg: 4.2,
      rating_imdb_score: 7.1,
    },
    {
      content_key: 20,
      content_id: 'ep_1_1_1',
      content_type: 'episode',
      title: 'Pilot',
      series_id: 'ser_1',
      series_title: 'Harbour Lights',
      season_number: 1,
      episode_number: 1,
      runtime_s: 3000,
      release_date: '2021-09-01',
      primary_genre: 'crime',
      maturity_rating: 'TV-14',
      original_language: 'en',
      is_original: false,
      rating_internal_avg: 3.9,
      rating_imdb_score: null,
    },
  ];

  it('bridge_content_genre: movies have their genres, episodes inherit the series genres', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: bridge_content_genre,
      inputs: [
        modelRows(dim_content, dimension),
        modelRows(stg_content, stagedCatalogue.titles),
        modelRows(stg_episodes, stagedCatalogue.episodes),
        modelRows(stg_content_genres, stagedCatalogue.genres),
        history,
        current,
      ],
    });
    expect(rows).toEqual([
      { content_key: 10, genre: 'drama', is_primary: false, _extracted_at: at(1) },
      { content_key: 10, genre: 'thriller', is_primary: true, _extracted_at: at(1) },
      { content_key: 20, genre: 'crime', is_primary: true, _extracted_at: at(2) },
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('bridge_content_cast: episodes inherit the series cast', async () => {
    const { rows } = await buildModelInIsolation(warehouse.db, {
      model: bridge_content_cast,
      inputs: [
        modelRows(dim_content, dimension),
        modelRows(stg_content, stagedCatalogue.titles),
        modelRows(stg_episodes, stagedCatalogue.episodes),
        modelRows(stg_content_cast, stagedCatalogue.cast),
        history,
        current,
      ],
    });
    expect(rows).toEqual([
      {
        content_key: 10,
        person_id: 'per_1',
        name: 'Ann Lee',
        character: 'Mara',
        billing_order: 1,
        _extracted_at: at(1),
      },
      {
        content_key: 20,
        person_id: 'per_2',
        name: 'Bo Chen',
        character: 'Inspector',
        billing_order: 1,
        _extracted_at: at(2),
      },
    ]);
  });
});
