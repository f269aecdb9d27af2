import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Titles (movies and series) as extracted, typed and cleaned; the latest `updated_at` wins per content_id. */
export const stg_content = defineModel({
  name: 'stg_content',
  description:
    'Movies and series from raw.content: trimmed, casing normalised, one row per content_id (latest updated_at).',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.content', 'c'))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.source('raw.content', 'newer'))
              .select(sql.lit(1).as('one'))
              .whereRef('newer.content_id', '=', 'c.content_id')
              .where(
                (inner) =>
                  sql<boolean>`(${inner.ref('newer.updated_at')}, ${inner.ref('newer._extracted_at')}, newer.ctid) > (${inner.ref('c.updated_at')}, ${inner.ref('c._extracted_at')}, c.ctid)`,
              ),
          ),
        ),
      )
      .select((eb) => [
        sql<string>`trim(${eb.ref('c.content_id')})`.as('content_id'),
        sql<string>`lower(trim(${eb.ref('c.type')}))`.as('content_type'),
        sql<string>`trim(${eb.ref('c.title')})`.as('title'),
        sql<string>`lower(trim(${eb.ref('c.original_language')}))`.as('original_language'),
        'c.release_date',
        sql<string>`upper(trim(${eb.ref('c.maturity_rating')}))`.as('maturity_rating'),
        'c.is_original',
        'c.runtime_min',
        eb.ref('c.ratings__internal__avg').as('rating_internal_avg'),
        eb.ref('c.ratings__imdb__score').as('rating_imdb_score'),
        'c.updated_at',
        'c._load_id',
      ]),
  contract: {
    columns: {
      content_id: { type: 'text' },
      content_type: { type: 'text' },
      title: { type: 'text' },
      original_language: { type: 'text' },
      release_date: { type: 'date' },
      maturity_rating: { type: 'text' },
      is_original: { type: 'boolean' },
      runtime_min: { type: 'integer', nullable: true },
      rating_internal_avg: { type: 'double precision', nullable: true },
      rating_imdb_score: { type: 'double precision', nullable: true },
      updated_at: { type: 'timestamptz' },
      _load_id: { type: 'text' },
    },
  },
  // Deduplicated on the raw id: ids that differ only by spaces would still collide.
  tests: (t) => [t.unique('content_id')],
});
