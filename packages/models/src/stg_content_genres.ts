import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Genres of each title in source order (`genre_rank` 0 is the primary genre), each genre once. */
export const stg_content_genres = defineModel({
  name: 'stg_content_genres',
  description:
    'Genres from raw.content__genres: lower-cased and trimmed, one row per (content_id, genre), ranked by their position in the document.',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.content__genres', 'g'))
      .distinctOn(['g._root_id', sql`lower(trim(${sql.ref('g.value')}))`])
      .select((eb) => [
        eb.ref('g._root_id').as('content_id'),
        sql<string>`lower(trim(${eb.ref('g.value')}))`.as('genre'),
        eb.ref('g._list_idx').as('genre_rank'),
      ])
      .orderBy('g._root_id')
      .orderBy(sql`lower(trim(${sql.ref('g.value')}))`)
      .orderBy('g._list_idx'),
  contract: {
    columns: {
      content_id: { type: 'text' },
      genre: { type: 'text' },
      genre_rank: { type: 'integer' },
    },
  },
  tests: (t) => [
    t.custom(
      'blank_genres',
      (ctx, self) =>
        ctx.db
          .selectFrom(sql`${sql.raw(self)}`.as('g'))
          .select([sql<string>`g.content_id`.as('content_id')])
          .where(sql<boolean>`g.genre = ''`),
      { severity: 'warn' },
    ),
  ],
});
