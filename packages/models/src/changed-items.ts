import { sql, type RawBuilder } from 'kysely';

import type { ModelContext, ModelQuery } from '@reelhouse/model-compiler';

import { dim_content } from './dim_content.ts';

/** `doc -> key` when it is an array, else `[]` (jsonb_array_elements fails on anything else). */
const arrayAt = (doc: RawBuilder<unknown>, key: string) =>
  sql`case when jsonb_typeof(${doc} -> ${sql.lit(key)}) = 'array' then ${doc} -> ${sql.lit(key)} else '[]'::jsonb end`;

/** A runtime in minutes (jsonb text) equal to the item's `runtime_s`, nulls alike. */
const sameRuntime = (minutes: RawBuilder<unknown>) =>
  sql<boolean>`(${minutes})::numeric * 60 is not distinct from i.runtime_s`;

/**
 * The playable items (dim_content ids) a session may resolve differently than a build covering
 * raw up to `since` did: items of catalogue documents extracted after `since` that some version
 * since, or the newest one extracted by `since` (whichever the build saw), lists differently from
 * now: new items (sessions that arrived before them point at -1) and changed runtimes. Every item
 * of a document with no version by `since` counts. runtime_s is all the fact takes from an item
 * besides its key, so a ratings edit or a series' next episode leaves the sessions of the
 * document's other items alone.
 */
export function changedItemIds(ctx: ModelContext, since: RawBuilder<Date>) {
  const history = (alias: string) => ctx.source('raw.content__history', alias as 'h');
  const ofItem = (alias: string) =>
    sql.raw(`trim(${alias}.content_id) = trim(coalesce(i.series_id, i.content_id))`);
  // A version's document lists the item with its current runtime (false for a delete).
  const listsAlike = sql<boolean>`coalesce(case
    when i.series_id is null then v._doc ->> 'type' = 'movie' and ${sameRuntime(sql`v._doc ->> 'runtime_min'`)}
    else exists (select 1 from jsonb_array_elements(${arrayAt(sql`v._doc`, 'seasons')}) s,
      jsonb_array_elements(${arrayAt(sql`s`, 'episodes')}) e
      where trim(e ->> 'episode_id') = i.content_id and ${sameRuntime(sql`e ->> 'runtime_min'`)})
    end, false)`;
  const unchanged = sql<boolean>`(exists (select 1 from ${history('q')} where ${ofItem('q')} and q._extracted_at <= ${since})
    and not exists (select 1 from ${history('v')} where ${ofItem('v')}
      and (v._extracted_at > ${since} or v._change_seq = (select max(r._change_seq) from ${history('r')}
        where ${ofItem('r')} and r._extracted_at <= ${since}))
      and not ${listsAlike}))`;
  return (
    ctx.db
      .selectFrom(ctx.ref(dim_content, 'i'))
      .select('i.content_id')
      .where('i.content_key', '<>', sql.lit(-1))
      // An array, so this cheap test runs first and the costly comparison only for the few items
      // of documents extracted since (as `in (...)` it was evaluated after it, for every item).
      .where(
        sql`trim(coalesce(i.series_id, i.content_id))`,
        '=',
        sql<string>`any(array(${ctx.db
          .selectFrom(history('h'))
          .select(sql<string>`trim(h.content_id)`.as('content_id'))
          .where('h._extracted_at', '>', since)}))`,
      )
      .where((eb) => eb.not(unchanged))
  );
}

/**
 * The playable items whose sessions the fact re-resolves in this build: from dim_content's own
 * delta when the compiler knows it (`ctx.changes`): its new items, items whose runtime changed and
 * items it removes, relative to the dim_content this fact last read. Only when that delta is
 * unknown does it fall back to the catalogue history extracted after `since` (`changedItemIds`).
 * The delta is what the fact's last build saw, whatever the order the streams were extracted in:
 * the history's watermark is the sessions' extraction, and a catalogue extracted after them in the
 * same run (the extractor's order) counted every item as changed in the next build (all 113,021 at
 * 10M sessions, the whole fact re-resolved).
 */
export function changedItemsOfBuild(
  ctx: ModelContext,
  since: RawBuilder<Date>,
): ModelQuery<{ content_id: string }> {
  const changes = ctx.changes(dim_content);
  if (changes === undefined) return changedItemIds(ctx, since);
  if (changes.kind === 'unchanged')
    return ctx.db
      .selectFrom(ctx.ref(dim_content, 'i'))
      .select('i.content_id')
      .where(sql<boolean>`false`);
  return (
    ctx.db
      .selectFrom(changes.upserted('d'))
      .leftJoin(changes.previous('p'), 'p.content_key', 'd.content_key')
      .select('d.content_id')
      .where('d.content_key', '<>', sql.lit(-1))
      // runtime_s is all the fact takes from an item besides its key (see changedItemIds).
      .where((eb) =>
        eb.or([
          eb('p.content_key', 'is', null),
          sql<boolean>`p.runtime_s is distinct from d.runtime_s`,
        ]),
      )
      .union(
        ctx.db
          .selectFrom(changes.previous('o'))
          .select('o.content_id')
          .where(
            sql<boolean>`o.content_key in (select r.content_key from ${changes.removed('r')})`,
          ),
      )
  );
}
