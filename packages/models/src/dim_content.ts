import { sql } from 'kysely';

import { maturityRatings } from '@reelhouse/contracts';
import { defineModel, incremental } from '@reelhouse/model-compiler';
import type { DimContent } from '@reelhouse/warehouse';

import { aliasedColumns } from './aliased-columns.ts';
import { stg_content } from './stg_content.ts';
import { stg_content_genres } from './stg_content_genres.ts';
import { stg_episodes } from './stg_episodes.ts';
import { surrogateKey } from './surrogate-key.ts';

/** Every column of the dimension, in contract order. */
const columns: readonly (keyof DimContent)[] = [
  'content_key',
  'content_id',
  'content_type',
  'title',
  'series_id',
  'series_title',
  'season_number',
  'episode_number',
  'runtime_s',
  'release_date',
  'primary_genre',
  'maturity_rating',
  'original_language',
  'is_original',
  'rating_internal_avg',
  'rating_imdb_score',
];

/** Playable items: movies, and episodes carrying their series' attributes, plus the `-1` unknown item. */
export const dim_content = defineModel({
  name: 'dim_content',
  description:
    'One row per playable item: movies, and episodes with their series attributes (genre, rating, language). content_key derives from content_id, so it is stable across rebuilds; -1 is the unknown item.',
  // Merged in place rather than replaced: replacing it would drop the foreign keys the fact and
  // the aggregates hold on it, and re-adding them validates every fact row on every build. The
  // whole (small) dimension is recomputed and merged; items the catalogue dropped are deleted.
  materialization: incremental({ strategy: 'merge', uniqueKey: ['content_key'] }),
  tags: ['dimension'],
  select: (ctx) => {
    const query = ctx.db
      .with('primary_genre', (db) =>
        db
          .selectFrom(ctx.ref(stg_content_genres, 'g'))
          .distinctOn('g.content_id')
          .select(['g.content_id', 'g.genre'])
          .orderBy('g.content_id')
          .orderBy('g.genre_rank'),
      )
      .with('items', (db) =>
        db
          .selectFrom(ctx.ref(stg_content, 'c'))
          .leftJoin('primary_genre as g', 'g.content_id', 'c.content_id')
          .where('c.content_type', '=', sql.lit('movie'))
          .select((eb) =>
            aliasedColumns<DimContent>({
              content_key: surrogateKey([eb.ref('c.content_id')]),
              content_id: eb.ref('c.content_id'),
              content_type: sql<string>`'movie'`,
              title: eb.ref('c.title'),
              series_id: sql<string | null>`null::text`,
              series_title: sql<string | null>`null::text`,
              season_number: sql<number | null>`null::integer`,
              episode_number: sql<number | null>`null::integer`,
              runtime_s: sql<number | null>`${eb.ref('c.runtime_min')} * 60`,
              release_date: eb.ref('c.release_date'),
              primary_genre: sql<string>`coalesce(${eb.ref('g.genre')}, 'unknown')`,
              maturity_rating: eb.ref('c.maturity_rating'),
              original_language: eb.ref('c.original_language'),
              is_original: eb.ref('c.is_original'),
              rating_internal_avg: eb.ref('c.rating_internal_avg'),
              rating_imdb_score: eb.ref('c.rating_imdb_score'),
            }),
          )
          .unionAll(
            db
              .selectFrom(ctx.ref(stg_episodes, 'e'))
              .innerJoin(ctx.ref(stg_content, 'c'), 'c.content_id', 'e.series_id')
              .leftJoin('primary_genre as g', 'g.content_id', 'e.series_id')
              .select((eb) =>
                aliasedColumns<DimContent>({
                  content_key: surrogateKey([eb.ref('e.episode_id')]),
                  content_id: eb.ref('e.episode_id'),
                  content_type: sql<string>`'episode'`,
                  title: eb.ref('e.title'),
                  series_id: eb.ref('e.series_id'),
                  series_title: eb.ref('c.title'),
                  season_number: eb.ref('e.season_number'),
                  episode_number: eb.ref('e.episode_number'),
                  runtime_s: sql<number | null>`${eb.ref('e.runtime_min')} * 60`,
                  release_date: eb.ref('e.release_date'),
                  primary_genre: sql<string>`coalesce(${eb.ref('g.genre')}, 'unknown')`,
                  maturity_rating: eb.ref('c.maturity_rating'),
                  original_language: eb.ref('c.original_language'),
                  is_original: eb.ref('c.is_original'),
                  rating_internal_avg: eb.ref('c.rating_internal_avg'),
                  rating_imdb_score: eb.ref('c.rating_imdb_score'),
                }),
              ),
          )
          .unionAll(
            db.selectNoFrom(
              aliasedColumns<DimContent>({
                content_key: sql<number>`-1::bigint`,
                content_id: sql<string>`'unknown'`,
                content_type: sql<string>`'unknown'`,
                title: sql<string>`'Unknown'`,
                series_id: sql<string | null>`null::text`,
                series_title: sql<string | null>`null::text`,
                season_number: sql<number | null>`null::integer`,
                episode_number: sql<number | null>`null::integer`,
                runtime_s: sql<number | null>`null::integer`,
                release_date: sql<string | null>`null::date`,
                primary_genre: sql<string>`'unknown'`,
                maturity_rating: sql<string | null>`null::text`,
                original_language: sql<string | null>`null::text`,
                is_original: sql<boolean | null>`null::boolean`,
                rating_internal_avg: sql<number | null>`null::double precision`,
                rating_imdb_score: sql<number | null>`null::double precision`,
              }),
            ),
          ),
      )
      .selectFrom('items as n')
      .selectAll('n');
    if (!ctx.isIncremental) return query;
    // Incremental: only the items that differ from the stored row (new or changed), so the merge
    // and the post-merge view that the fact and the bridges read carry a day's few edits, not the
    // whole catalogue.
    return query.where(
      sql<boolean>`not exists (select 1 from ${ctx.self('o')} where o.content_key = n.content_key
        and (${sql.join(columns.map((column) => sql.ref(`o.${column}`)))})
          is not distinct from (${sql.join(columns.map((column) => sql.ref(`n.${column}`)))}))`,
    );
  },
  // Items the catalogue no longer lists (withdrawn titles, dropped episodes) leave, as a full
  // rebuild would not have them. The fact's foreign key makes the build fail loudly if a session
  // still points at one (the generator withdraws only titles nobody watched).
  deletes: (ctx) =>
    ctx.db
      .selectFrom(ctx.self('old'))
      .select(sql<number>`old.content_key`.as('content_key'))
      .where(sql<boolean>`old.content_key <> -1`)
      // Two NOT EXISTS, not NOT (EXISTS OR EXISTS): PostgreSQL plans each as an anti-join; the OR
      // left a correlated subplan that rebuilt the episodes per row (minutes at 30k items).
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.ref(stg_content, 'm'))
              .select(sql.lit(1).as('one'))
              .where(sql<boolean>`m.content_id = old.content_id and m.content_type = 'movie'`),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.ref(stg_episodes, 'e'))
              .innerJoin(ctx.ref(stg_content, 's'), 's.content_id', 'e.series_id')
              .select(sql.lit(1).as('one'))
              .where(sql<boolean>`e.episode_id = old.content_id`),
          ),
        ),
      ),
  contract: {
    columns: {
      content_key: { type: 'bigint' },
      content_id: { type: 'text' },
      content_type: { type: 'text' },
      title: { type: 'text' },
      series_id: { type: 'text', nullable: true },
      series_title: { type: 'text', nullable: true },
      season_number: { type: 'integer', nullable: true, check: 'season_number >= 1' },
      episode_number: { type: 'integer', nullable: true, check: 'episode_number >= 1' },
      runtime_s: { type: 'integer', nullable: true, check: 'runtime_s > 0' },
      release_date: { type: 'date', nullable: true },
      primary_genre: { type: 'text' },
      maturity_rating: { type: 'text', nullable: true },
      original_language: { type: 'text', nullable: true },
      is_original: { type: 'boolean', nullable: true },
      rating_internal_avg: { type: 'double precision', nullable: true },
      rating_imdb_score: { type: 'double precision', nullable: true },
    },
    primaryKey: ['content_key'],
    indexes: [['content_id']],
  },
  tests: (t) => [
    t.unique('content_id'),
    t.acceptedValues('maturity_rating', maturityRatings),
    t.custom('episodes_have_their_series', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('c'))
        .select([sql<string>`c.content_id`.as('content_id')])
        .where(
          sql<boolean>`c.content_type = 'episode' and (c.series_id is null or c.season_number is null or c.episode_number is null)`,
        ),
    ),
  ],
});
