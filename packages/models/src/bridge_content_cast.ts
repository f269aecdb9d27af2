import { sql } from 'kysely';

import { defineModel, incremental } from '@reelhouse/model-compiler';

import { bridgeItems, replacedBridgeKeys } from './bridge-items.ts';
import { dim_content } from './dim_content.ts';
import { stg_content_cast } from './stg_content_cast.ts';

/** The cast of every playable item the catalogue lists; episodes inherit their series' cast. */
export const bridge_content_cast = defineModel({
  name: 'bridge_content_cast',
  description:
    "Playable item to cast member (many to many): a movie has its own cast, an episode its series'. An item the catalogue no longer lists has no cast rows. _extracted_at is the newest extraction of the title's document. Incremental: the items of documents extracted since, and those dim_content wrote or removed, are rebuilt whole.",
  // An item's rows replace its stored ones (see bridgeItems): a day's few catalogue edits, not
  // the whole bridge, which a table() rebuilt and tested on every build.
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['content_key', 'person_id'],
  }),
  tags: ['dimension', 'bridge'],
  select: (ctx) =>
    ctx.db
      .with('item_title', () => bridgeItems(ctx))
      .selectFrom('item_title as i')
      .innerJoin(ctx.ref(stg_content_cast, 'p'), 'p.content_id', 'i.title_id')
      .select([
        'i.content_key',
        'p.person_id',
        'p.name',
        'p.character',
        'p.billing_order',
        'i._extracted_at',
      ]),
  deletes: (ctx) => replacedBridgeKeys(ctx, 'person_id'),
  contract: {
    columns: {
      content_key: { type: 'bigint' },
      person_id: { type: 'text' },
      name: { type: 'text' },
      character: { type: 'text' },
      billing_order: { type: 'integer', check: 'billing_order >= 1' },
      _extracted_at: { type: 'timestamptz', nullable: true },
    },
    primaryKey: ['content_key', 'person_id'],
    // The incremental watermark (coveredUntil): its max, not a scan of the bridge.
    indexes: [['_extracted_at']],
  },
  tests: (t) => [
    // A test, not a foreign key: within an incremental build dim_content is read through its
    // post-merge view, which a foreign key cannot reference.
    t.relationships('content_key', { model: dim_content, field: 'content_key' }),
    t.custom(
      'blank_names',
      (ctx, self) =>
        ctx.db
          .selectFrom(sql`${sql.raw(self)}`.as('b'))
          .select([
            sql<number>`b.content_key`.as('content_key'),
            sql<string>`b.person_id`.as('person_id'),
          ])
          .where(sql<boolean>`b.name = '' or b.character = ''`),
      { severity: 'warn' },
    ),
  ],
});
