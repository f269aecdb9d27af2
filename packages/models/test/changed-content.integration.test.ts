import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { models } from '../src/index.ts';
import { catalogue } from './fixtures/catalogue.ts';
import { rawTablesDdl } from './raw-tables.ts';

const pg = usePostgresDatabase('models_changed_content');
const firstLoad = {
  _load_id: '00000000-0000-4000-8000-000000001001',
  _extracted_at: new Date('2024-03-01T00:00:00Z'),
};
const secondLoad = {
  _load_id: '00000000-0000-4000-8000-000000001002',
  _extracted_at: new Date('2024-03-02T00:00:00Z'),
};
const select = ['+bridge_content_genre', '+bridge_content_cast'];
let db: Kysely<WarehouseDatabase>;

const genre = (root: string, index: number, value: string) => ({
  _root_id: root,
  _parent_id: root,
  _list_idx: index,
  _row_id: `${root}/genres/${index}`,
  _load_id: secondLoad._load_id,
  value,
});

/** Each item's genres as `content_id genre[*]` (the star marks the primary genre), joined to dim_content. */
async function bridgeGenres(): Promise<string[]> {
  const { rows } = await sql<{ item: string }>`
    select c.content_id || ' ' || b.genre || case when b.is_primary then '*' else '' end as item
    from trusted.bridge_content_genre b join trusted.dim_content c using (content_key)
    order by c.content_id, b.genre`.execute(db);
  return rows.map((row) => row.item);
}

beforeAll(async () => {
  db = createKysely(createPool({ url: pg.url, max: 3 }));
  await sql.raw(rawTablesDdl).execute(db);
  const loaded = <Row extends object>(rows: readonly Row[]) =>
    rows.map((row) => ({ ...row, _load_id: firstLoad._load_id }));
  await db
    .insertInto('raw.content')
    .values(catalogue.content.map((c) => ({ ...c, ...firstLoad, _doc: JSON.stringify(c._doc) })))
    .execute();
  await db.insertInto('raw.content__genres').values(loaded(catalogue.genres)).execute();
  await db.insertInto('raw.content__cast').values(loaded(catalogue.cast)).execute();
  await db.insertInto('raw.content__seasons').values(loaded(catalogue.seasons)).execute();
  await db
    .insertInto('raw.content__seasons__episodes')
    .values(loaded(catalogue.episodes))
    .execute();
});
afterAll(async () => {
  await db.destroy();
});

describe('content documents whose genres or type change between two builds', () => {
  it('first build: movies have their genres, episodes their series genres', async () => {
    const result = await buildModels(db, { models, select });
    expect(result.models.filter((m) => m.status !== 'success')).toEqual([]);
    expect(await bridgeGenres()).toEqual([
      'ep_1_1_1 crime*',
      'ep_1_1_2 crime*',
      'mov_1 drama',
      'mov_1 thriller*',
    ]);
  });

  it('second build: changed titles get their new genres, items the catalogue dropped leave dim_content and the bridges', async () => {
    // As the extractor replaces changed documents: the root row and all its child rows.
    // mov_1 reorders its genres (drama becomes primary); ser_1 becomes a movie (same cast), so
    // its seasons and episodes disappear from raw while dim_content keeps the two episodes.
    await db.deleteFrom('raw.content__genres').execute();
    await db.deleteFrom('raw.content__seasons__episodes').execute();
    await db.deleteFrom('raw.content__seasons').execute();
    await db
      .updateTable('raw.content')
      .set({ ...secondLoad, updated_at: new Date('2024-03-02T00:00:00Z') })
      .execute();
    await db
      .updateTable('raw.content')
      .set({ type: 'movie', runtime_min: 95 })
      .where('content_id', '=', 'ser_1')
      .execute();
    await db
      .insertInto('raw.content__genres')
      .values([
        genre('mov_1', 0, 'Drama'),
        genre('mov_1', 1, 'romance'),
        genre('ser_1', 0, 'comedy'),
        genre('ser_1', 1, 'crime'),
      ])
      .execute();

    const result = await buildModels(db, { models, select });

    expect(result.models.filter((m) => m.status !== 'success')).toEqual([]);
    expect(
      result.models.flatMap((m) => m.tests.filter((t) => t.status !== 'pass').map((t) => t.name)),
    ).toEqual([]);
    // The dropped episodes left dim_content, as a full rebuild would not have them either.
    expect(await bridgeGenres()).toEqual([
      'mov_1 drama*',
      'mov_1 romance',
      'ser_1 comedy*',
      'ser_1 crime',
    ]);
    const { rows: disagreeing } = await sql<{ content_id: string }>`
      select c.content_id from trusted.dim_content c
      left join trusted.bridge_content_genre b on b.content_key = c.content_key and b.is_primary
      where c.primary_genre <> 'unknown' and b.genre is distinct from c.primary_genre`.execute(db);
    expect(disagreeing).toEqual([]);
  });

  it('second build: the cast goes to the items the catalogue lists, none to the dropped episodes', async () => {
    const { rows } = await sql<{ item: string }>`
      select c.content_id || ' ' || b.person_id as item
      from trusted.bridge_content_cast b join trusted.dim_content c using (content_key)
      order by c.content_id, b.person_id`.execute(db);
    expect(rows.map((row) => row.item)).toEqual(['mov_1 per_1', 'ser_1 per_2']);
  });
});
