import { sql, type RawBuilder } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { dim_content } from './dim_content.ts';

/** `doc -> key` when it is an array, else `[]` (jsonb_array_elements fails on anything else). */
const arrayAt = (doc: RawBuilder<unknown>, key: string) =>
  sql`case when jsonb_typeof(${doc} -> ${sql.lit(key)}) = 'array' then ${doc} -> ${sql.lit(key)} else '[]'::jsonb end`;

/** A runtime in minutes (jsonb text) equal to the item's `runtime_s`, nulls alike. */
const sameRuntime = (minutes: RawBuilder<unknown>) =>
  sql<boolean>`(${minutes})::numeric * 60 is not distinct from i.runtime_s`;

/**
 * The playable items (dim_content ids) a session may resolve differently than a build covering
 * raw up to `since` did: items of catalogue documents extracted after `since` that the document's
 * newest earlier version (`raw.content__history._doc`) did not list with the same runtime, i.e.
 * new items (sessions that arrived before them point at -1) and corrected runtimes. runtime_s is
 * all the fact takes from an item besides its key, so a ratings edit or a series' next episode
 * leaves the sessions of the document's other items alone.
 */
export function changedItemIds(ctx: ModelContext, since: RawBuilder<Date>) {
  const history = (alias: string) => ctx.source('raw.content__history', alias as 'h');
  const earlierDoc = sql`(select p._doc from ${history('p')}
    where trim(p.content_id) = trim(coalesce(i.series_id, i.content_id)) and p._extracted_at <= ${since}
    order by p._change_seq desc limit 1)`;
  // The earlier version lists the item with the same runtime (false when there is none).
  const listedAlike = sql<boolean>`exists (select 1 from (select ${earlierDoc} as doc) b where case
    when i.series_id is null then b.doc ->> 'type' = 'movie' and ${sameRuntime(sql`b.doc ->> 'runtime_min'`)}
    else exists (select 1 from jsonb_array_elements(${arrayAt(sql`b.doc`, 'seasons')}) s,
      jsonb_array_elements(${arrayAt(sql`s`, 'episodes')}) e
      where trim(e ->> 'episode_id') = i.content_id and ${sameRuntime(sql`e ->> 'runtime_min'`)})
    end)`;
  return ctx.db
    .selectFrom(ctx.ref(dim_content, 'i'))
    .select('i.content_id')
    .where('i.content_key', '<>', sql.lit(-1))
    .where(
      sql`trim(coalesce(i.series_id, i.content_id))`,
      'in',
      ctx.db
        .selectFrom(history('h'))
        .select(sql<string>`trim(h.content_id)`.as('content_id'))
        .where('h._extracted_at', '>', since),
    )
    .where((eb) => eb.not(listedAlike));
}
