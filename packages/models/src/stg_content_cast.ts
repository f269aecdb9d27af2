import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Cast of each title, each person once (their top billing). */
export const stg_content_cast = defineModel({
  name: 'stg_content_cast',
  description:
    'Cast from raw.content__cast: trimmed, one row per (content_id, person_id) keeping the lowest billing order.',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.content__cast', 'c'))
      .distinctOn(['c._root_id', 'c.person_id'])
      .select((eb) => [
        eb.ref('c._root_id').as('content_id'),
        sql<string>`trim(${eb.ref('c.person_id')})`.as('person_id'),
        sql<string>`trim(${eb.ref('c.name')})`.as('name'),
        sql<string>`trim(${eb.ref('c.character')})`.as('character'),
        'c.billing_order',
      ])
      .orderBy('c._root_id')
      .orderBy('c.person_id')
      .orderBy('c.billing_order')
      .orderBy('c._list_idx'),
  contract: {
    columns: {
      content_id: { type: 'text' },
      person_id: { type: 'text' },
      name: { type: 'text' },
      character: { type: 'text' },
      billing_order: { type: 'integer' },
    },
  },
  // Deduplicated on the raw person id: ids that differ only by spaces would still collide.
  tests: (t) => [t.unique(['content_id', 'person_id'])],
});
