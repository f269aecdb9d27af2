import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

import { coveredUntil } from './changes-since.ts';
import { dim_content } from './dim_content.ts';
import { itemTitles } from './item-titles.ts';

/**
 * The items a bridge (one row set per playable item) rebuilds: every item on a full build; on an
 * incremental one, the items of catalogue documents extracted after the bridge's newest row
 * (`coveredUntil`), by the title dim_content recorded or the one the catalogue gives now, and the
 * items dim_content's delta wrote or removed in this build (a new primary genre, a new episode, a
 * dropped one). A bridge row depends only on its item's dim_content row and its title's document,
 * so these are every item whose rows can differ from a full rebuild's. With dim_content's changes
 * unknown (the bridge missed one of its builds), every item.
 */
export function bridgeItems(ctx: ModelContext) {
  // A bridge row's `_extracted_at`: the newest extraction of its title's document (any version,
  // deletes too), by one grouped pass over the history joined by hash, not a lookup per row.
  const extractions = ctx.db
    .selectFrom(ctx.source('raw.content__history', 'x'))
    .select([
      sql<string>`trim(x.content_id)`.as('title_id'),
      sql<Date>`max(x._extracted_at)`.as('_extracted_at'),
    ])
    .groupBy(sql`trim(x.content_id)`);
  const items = ctx.db
    .selectFrom(itemTitles(ctx).as('t'))
    .leftJoin(extractions.as('x'), 'x.title_id', 't.title_id')
    .selectAll('t')
    .select('x._extracted_at');
  if (!ctx.isIncremental) return items;
  const changes = ctx.changes(dim_content);
  if (changes === undefined) return items;
  const changedTitles = sql<string>`array(select trim(h.content_id) from ${ctx.source('raw.content__history', 'h')}
    where h._extracted_at > ${coveredUntil(ctx)})`;
  const titleChanged = sql<boolean>`(i.title_id = any(${changedTitles})
    or trim(coalesce(c.series_id, c.content_id)) = any(${changedTitles}))`;
  const written =
    changes.kind === 'unchanged'
      ? sql<boolean>`false`
      : sql<boolean>`c.content_key in (select u.content_key from ${changes.upserted('u')})`;
  return ctx.db
    .selectFrom(items.as('i'))
    .innerJoin(ctx.ref(dim_content, 'c'), 'c.content_key', 'i.content_key')
    .selectAll('i')
    .where(sql<boolean>`(${titleChanged} or ${written})`);
}

/**
 * The stored rows of a bridge that an incremental build replaces: those of the items it rebuilds
 * (`bridgeItems`) and of the items dim_content removed, which no longer have rows to write.
 */
export function replacedBridgeKeys(ctx: ModelContext, keyColumn: 'person_id' | 'genre') {
  const changes = ctx.changes(dim_content);
  // Unknown changes: every stored row goes, as every item is rebuilt (removed ones included).
  const removed =
    changes === undefined
      ? sql<boolean>`true`
      : changes.kind === 'unchanged'
        ? sql<boolean>`false`
        : sql<boolean>`b.content_key in (select r.content_key from ${changes.removed('r')})`;
  return ctx.db
    .selectFrom(ctx.self('b'))
    .select([
      sql<number>`b.content_key`.as('content_key'),
      sql<string>`${sql.ref(`b.${keyColumn}`)}`.as(keyColumn),
    ])
    .where(
      sql<boolean>`(b.content_key in (select i.content_key from ${bridgeItems(ctx).as('i')}) or ${removed})`,
    );
}
