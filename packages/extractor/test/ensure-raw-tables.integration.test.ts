import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type RawSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ensureRawTables } from '../src/index.ts';

const warehouseDb = usePostgresDatabase('extract_ddl');
let warehouse: pg.Pool;
let db: Kysely<RawSchema>;

beforeAll(() => {
  warehouse = createPool({ url: warehouseDb.url });
  db = createKysely<RawSchema>(warehouse);
});

afterAll(async () => {
  // Ends the pool too (Kysely owns it); see endPools for why late errors are expected.
  warehouse.on('error', () => undefined);
  await db.destroy();
});

describe('ensureRawTables', () => {
  it('creates schema raw with every table, and can run again, even concurrently', async () => {
    await Promise.all([ensureRawTables(warehouse), ensureRawTables(warehouse)]);
    await ensureRawTables(warehouse);

    const tables = await warehouse.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'raw' order by table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      '_loads',
      '_rejected_rows',
      '_state',
      'content',
      'content__cast',
      'content__crew',
      'content__genres',
      'content__history',
      'content__seasons',
      'content__seasons__episodes',
      'users',
      'users__history',
      'viewing_sessions',
      'viewing_sessions__history',
    ]);
  });

  it('matches the Kysely types of RawSchema: typed rows go in and come back as typed', async () => {
    await db
      .insertInto('raw.content')
      .values({
        content_id: 'mov_1',
        type: 'movie',
        title: 'T',
        original_language: 'en',
        release_date: '2020-05-01',
        maturity_rating: 'PG',
        is_original: false,
        runtime_min: 90,
        production_countries: ['US'],
        available_qualities: ['HD'],
        audio_languages: ['en'],
        subtitle_languages: [],
        ratings__internal__avg: 3.5,
        ratings__internal__count: 2,
        ratings__imdb__score: null,
        ratings__imdb__votes: null,
        licensing__window_start: '2021-01-01',
        licensing__window_end: null,
        licensing__regions: ['EMEA'],
        updated_at: '2025-01-01T00:00:00.123456Z',
        _change_seq: 12,
        _changed_at: '2025-01-02T00:00:00Z',
        _doc: JSON.stringify({ _id: 'mov_1' }),
        _load_id: '00000000-0000-4000-8000-000000000001',
        _extracted_at: new Date('2025-01-02T00:00:00Z'),
      })
      .execute();
    await db
      .insertInto('raw.content__seasons__episodes')
      .values({
        _root_id: 'ser_1',
        _parent_id: 'ser_1/seasons/0',
        _list_idx: 0,
        _row_id: 'ser_1/seasons/0/episodes/0',
        _load_id: '00000000-0000-4000-8000-000000000001',
        episode_id: 'ep_1',
        episode_number: 1,
        title: 'E',
        runtime_min: 42,
        release_date: '2020-09-01',
      })
      .execute();

    const content = await db
      .selectFrom('raw.content')
      .select([
        'release_date',
        'updated_at',
        'production_countries',
        '_doc',
        'ratings__internal__avg',
      ])
      .executeTakeFirstOrThrow();
    const episode = await db
      .selectFrom('raw.content__seasons__episodes')
      .select(['release_date', '_list_idx'])
      .executeTakeFirstOrThrow();

    expect(content).toEqual({
      release_date: '2020-05-01',
      updated_at: new Date('2025-01-01T00:00:00.123Z'),
      production_countries: ['US'],
      _doc: { _id: 'mov_1' },
      ratings__internal__avg: 3.5,
    });
    expect(episode).toEqual({ release_date: '2020-09-01', _list_idx: 0 });
  });
});
