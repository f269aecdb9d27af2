import { sql } from 'kysely';

import { defineModel, table } from '@reelhouse/model-compiler';

import { dim_content } from './dim_content.ts';
import { stg_content_genres } from './stg_content_genres.ts';

/** Every genre of every playable item; episodes inherit their series' genres. */
export const bridge_content_genre = defineModel({
  name: 'bridge_content_genre',
  description:
    "Playable item to genre (many to many): a movie has its own genres, an episode its series'; is_primary marks the first genre of the title.",
  materialization: table(),
  tags: ['dimension', 'bridge'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.ref(dim_content, 'c'))
      .innerJoin(ctx.ref(stg_content_genres, 'g'), (join) =>
        join.on((eb) => eb('g.content_id', '=', eb.fn.coalesce('c.series_id', 'c.content_id'))),
      )
      .select((eb) => [
        'c.content_key',
        'g.genre',
        sql<boolean>`${eb.ref('g.genre')} = ${eb.ref('c.primary_genre')}`.as('is_primary'),
      ]),
  contract: {
    columns: {
      content_key: { type: 'bigint' },
      genre: { type: 'text' },
      is_primary: { type: 'boolean' },
    },
    primaryKey: ['content_key', 'genre'],
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
