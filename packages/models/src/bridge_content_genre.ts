import { sql } from 'kysely';

import { defineModel, incremental } from '@reelhouse/model-compiler';

import { bridgeItems, replacedBridgeKeys } from './bridge-items.ts';
import { dim_content } from './dim_content.ts';
import { stg_content_genres } from './stg_content_genres.ts';

/**
 * Every genre of every playable item; episodes inherit their series' genres, and an item no
 * longer in the catalogue keeps only the primary genre dim_content last recorded for it.
 */
export const bridge_content_genre = defineModel({
  name: 'bridge_content_genre',
  description:
    "Playable item to genre (many to many): a movie has its own genres, an episode its series'; is_primary marks the item's dim_content.primary_genre. An item the catalogue no longer lists keeps that primary genre only.",
  // Incremental by item, as bridge_content_cast (see bridgeItems).
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['content_key', 'genre'],
  }),
  tags: ['dimension', 'bridge'],
  select: (ctx) =>
    ctx.db
      .with('item_title', () => bridgeItems(ctx))
      .selectFrom('item_title as i')
      .innerJoin(ctx.ref(stg_content_genres, 'g'), 'g.content_id', 'i.title_id')
      .select((eb) => [
        'i.content_key',
        'g.genre',
        sql<boolean>`${eb.ref('g.genre')} = ${eb.ref('i.primary_genre')}`.as('is_primary'),
        'i._extracted_at',
      ])
      .unionAll((eb) =>
        eb
          .selectFrom('item_title as i')
          .where('i.title_id', 'is', null)
          .where('i.primary_genre', '<>', sql.lit('unknown'))
          .select([
            'i.content_key',
            'i.primary_genre as genre',
            sql<boolean>`true`.as('is_primary'),
            'i._extracted_at',
          ]),
      ),
  deletes: (ctx) => replacedBridgeKeys(ctx, 'genre'),
  contract: {
    columns: {
      content_key: { type: 'bigint' },
      genre: { type: 'text' },
      is_primary: { type: 'boolean' },
      _extracted_at: { type: 'timestamptz', nullable: true },
    },
    primaryKey: ['content_key', 'genre'],
    // The incremental watermark (coveredUntil): its max, not a scan of the bridge.
    indexes: [['_extracted_at']],
  },
  tests: (t) => [
    // A test, not a foreign key: within an incremental build dim_content is read through its
    // post-merge view, which a foreign key cannot reference.
    t.relationships('content_key', { model: dim_content, field: 'content_key' }),
    t.custom('one_primary_genre_per_item', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('b'))
        .select([
          sql<number>`b.content_key`.as('content_key'),
          sql<number>`count(*) filter (where b.is_primary)`.as('primary_genres'),
        ])
        .groupBy(sql`b.content_key`)
        .having(sql<boolean>`count(*) filter (where b.is_primary) <> 1`),
    ),
  ],
});
