import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Episodes of series, flattened from the seasons' nested arrays, one row per episode_id. */
export const stg_episodes = defineModel({
  name: 'stg_episodes',
  description:
    'Episodes from raw.content__seasons__episodes joined to their season: one row per episode_id, with its series and season number.',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.content__seasons__episodes', 'e'))
      .innerJoin(ctx.source('raw.content__seasons', 's'), 's._row_id', 'e._parent_id')
      // An episode id listed twice (a catalogue defect) keeps its first position.
      .distinctOn('e.episode_id')
      .select((eb) => [
        sql<string>`trim(${eb.ref('e.episode_id')})`.as('episode_id'),
        eb.ref('e._root_id').as('series_id'),
        's.season_number',
        'e.episode_number',
        sql<string>`trim(${eb.ref('e.title')})`.as('title'),
        'e.runtime_min',
        'e.release_date',
      ])
      .orderBy('e.episode_id')
      .orderBy('e._root_id')
      .orderBy('s.season_number')
      .orderBy('e._list_idx'),
  contract: {
    columns: {
      episode_id: { type: 'text' },
      series_id: { type: 'text' },
      season_number: { type: 'integer' },
      episode_number: { type: 'integer' },
      title: { type: 'text' },
      runtime_min: { type: 'integer' },
      release_date: { type: 'date' },
    },
  },
  // Deduplicated on the raw id: ids that differ only by spaces would still collide.
  tests: (t) => [t.unique('episode_id')],
});
