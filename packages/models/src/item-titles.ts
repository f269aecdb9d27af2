import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { dim_content } from './dim_content.ts';
import { stg_content } from './stg_content.ts';
import { stg_episodes } from './stg_episodes.ts';

/**
 * Every dim_content item with the catalogue title it belongs to now (`title_id`: a movie itself, an
 * episode its series), or `null` when the catalogue no longer lists the item.
 *
 * Read from staging, not from dim_content's series_id: until dim_content's next merge removes them, it keeps
 * items the catalogue dropped (the episodes of a series that became a movie or lost a season)
 * with their last attributes, and a bridge joining those to a title's current lists would pair
 * stale attributes with another title's genres or cast.
 */
export function itemTitles(ctx: ModelContext) {
  return ctx.db
    .selectFrom(ctx.ref(dim_content, 'c'))
    .leftJoin(ctx.ref(stg_episodes, 'e'), (join) =>
      join.onRef('e.episode_id', '=', 'c.content_id').on('c.content_type', '=', sql.lit('episode')),
    )
    .leftJoin(ctx.ref(stg_content, 'm'), (join) =>
      join
        .onRef('m.content_id', '=', 'c.content_id')
        .on('m.content_type', '=', sql.lit('movie'))
        .on('c.content_type', '=', sql.lit('movie')),
    )
    .select((eb) => [
      'c.content_key',
      'c.primary_genre',
      eb.fn.coalesce('e.series_id', 'm.content_id').as('title_id'),
    ]);
}
