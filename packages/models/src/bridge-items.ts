import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { coveredUntil } from './changes-since.ts';
import { dim_content } from './dim_content.ts';
import { itemTitles } from './item-titles.ts';

/**
 * Every extraction of a title's document: the versions the history appended (deletes too) and the
 * current row's own, which a full refresh renews even where the history has the version already
 * (a document rewritten without a new change sequence is repaired that way).
 */
function titleExtractions(ctx: ModelContext) {
  return sql<{ title_id: string; _extracted_at: Date }>`(
    select trim(h.content_id) as title_id, h._extracted_at from ${ctx.source('raw.content__history', 'h')}
    union all select trim(c.content_id), c._extracted_at from ${ctx.source('raw.content', 'c')})`;
}

/**
 * The items a bridge (one row set per playable item) rebuilds, with their titles (`itemTitles`)
 * and each title's newest extraction (a bridge row's `_extracted_at`): every item on a full build,
 * else those of `rebuiltItemKeys`.
 */
export function bridgeItems(ctx: ModelContext) {
  // One grouped pass over the extractions, joined by hash: not a lookup per row.
  const extractions = ctx.db
    .selectFrom(titleExtractions(ctx).as('x'))
    .select([
      sql<string>`x.title_id`.as('title_id'),
      sql<Date>`max(x._extracted_at)`.as('_extracted_at'),
    ])
    .groupBy(sql`x.title_id`);
  const items = ctx.db
    .selectFrom(itemTitles(ctx).as('t'))
    .leftJoin(extractions.as('x'), 'x.title_id', 't.title_id')
    .selectAll('t')
    .select('x._extracted_at');
  const rebuilt = rebuiltItemKeys(ctx);
  if (rebuilt === undefined) return items;
  return items.where(sql<boolean>`t.content_key in (${rebuilt})`);
}

/**
 * The content keys an incremental build of a bridge rebuilds, or undefined for every item (a full
 * build, or dim_content's changes unknown because the bridge missed one of its builds): the items
 * of catalogue documents extracted after the bridge's newest row (`coveredUntil`), by the title
 * dim_content recorded or the series that lists the episode now, and the items dim_content's delta
 * wrote or removed in this build (a new primary genre, a new episode, a dropped one). A bridge row
 * depends only on its item's dim_content row and its title's document, so no other item's rows
 * can differ from a full rebuild's.
 */
function rebuiltItemKeys(ctx: ModelContext) {
  if (!ctx.isIncremental) return undefined;
  const changes = ctx.changes(dim_content);
  if (changes === undefined) return undefined;
  const changedTitles = sql`array(select x.title_id from ${titleExtractions(ctx)} x
    where x._extracted_at > ${coveredUntil(ctx)})`;
  const written =
    changes.kind === 'unchanged'
      ? sql``
      : sql`union select u.content_key from ${changes.upserted('u')}
        union select r.content_key from ${changes.removed('r')}`;
  return sql`select c.content_key from ${ctx.ref(dim_content, 'c')}
      where trim(coalesce(c.series_id, c.content_id)) = any(${changedTitles})
    union select c.content_key from ${ctx.source('raw.content__seasons__episodes', 'e')}
      join ${ctx.ref(dim_content, 'c')} on c.content_id = trim(e.episode_id)
      where trim(e._root_id) = any(${changedTitles})
    ${written}`;
}

/**
 * The stored rows of a bridge that an incremental build replaces: those of the items it rebuilds,
 * removed ones included (they have no rows to write); every row when it rebuilds every item.
 */
export function replacedBridgeKeys(ctx: ModelContext, keyColumn: 'person_id' | 'genre') {
  const rebuilt = rebuiltItemKeys(ctx);
  return ctx.db
    .selectFrom(ctx.self('b'))
    .select([
      sql<number>`b.content_key`.as('content_key'),
      sql<string>`${sql.ref(`b.${keyColumn}`)}`.as(keyColumn),
    ])
    .where(
      rebuilt === undefined ? sql<boolean>`true` : sql<boolean>`b.content_key in (${rebuilt})`,
    );
}
