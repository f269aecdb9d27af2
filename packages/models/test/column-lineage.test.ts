import { describe, expect, it } from 'vitest';

import {
  columnLineage,
  rawColumns,
  renderLineageTree,
  upstreamTree,
} from '@reelhouse/model-compiler';

import { models } from '../src/index.ts';

const lineage = await columnLineage(models);
const rawOf = (column: string) => rawColumns(upstreamTree(lineage, column));

describe('column lineage of the star schema (issue 15)', () => {
  it('covers every contract column of every model', () => {
    const declared = models.flatMap((model) =>
      Object.keys(model.contract.columns).map((column) => `${model.name}.${column}`),
    );
    expect(Object.keys(lineage.columns).sort()).toEqual(declared.sort());
  });

  it('traces fact_viewing_session.user_key through dim_user to the users history in raw', () => {
    expect(lineage.columns['fact_viewing_session.user_key']).toEqual(['dim_user.user_key']);
    // user_key hashes (user_id, valid_from); valid_from reads the version's opening row, which
    // the window over plan, status and country (in _change_seq order) decides; _op, whether the
    // version is a delete (the snapshot's hard-delete handling).
    expect(rawOf('fact_viewing_session.user_key')).toEqual([
      'raw.users__history._change_seq',
      'raw.users__history._op',
      'raw.users__history.country_code',
      'raw.users__history.plan',
      'raw.users__history.signup_ts',
      'raw.users__history.subscription_status',
      'raw.users__history.updated_at',
      'raw.users__history.user_id',
    ]);
    expect(renderLineageTree(upstreamTree(lineage, 'fact_viewing_session.user_key')))
      .toMatchInlineSnapshot(`
        "fact_viewing_session.user_key
        └── dim_user.user_key
            ├── raw.users__history._change_seq  (history of raw.users._change_seq)
            ├── raw.users__history._op
            ├── raw.users__history.country_code  (history of raw.users.country_code)
            ├── raw.users__history.plan  (history of raw.users.plan)
            ├── raw.users__history.signup_ts  (history of raw.users.signup_ts)
            ├── raw.users__history.subscription_status  (history of raw.users.subscription_status)
            ├── raw.users__history.updated_at  (history of raw.users.updated_at)
            └── raw.users__history.user_id  (history of raw.users.user_id)"
      `);
  });

  it('goes through staging views, joins and expressions', () => {
    expect(lineage.columns['stg_users.plan']).toEqual(['raw.users.plan']);
    expect(lineage.columns['stg_content.content_type']).toEqual(['raw.content.type']);
    expect(lineage.columns['fact_viewing_session.completion_ratio']).toEqual([
      'dim_content.runtime_s',
      'stg_viewing_sessions.watch_duration_s',
    ]);
    expect(rawOf('fact_viewing_session.completion_ratio')).toEqual([
      'raw.content.runtime_min',
      'raw.content__seasons__episodes.runtime_min',
      'raw.viewing_sessions.watch_duration_s',
    ]);
    expect(lineage.columns['fact_viewing_session.start_hour_local']).toEqual([
      'ref_country.time_zone',
      'stg_viewing_sessions.started_at',
    ]);
  });

  it('goes through CTEs and UNION ALL branches (dim_content, dim_date)', () => {
    expect(lineage.columns['dim_content.content_key']).toEqual([
      'stg_content.content_id',
      'stg_episodes.episode_id',
    ]);
    expect(lineage.columns['dim_content.series_title']).toEqual(['stg_content.title']);
    expect(lineage.columns['dim_content.primary_genre']).toEqual(['stg_content_genres.genre']);
    expect(lineage.columns['dim_date.date_key']).toEqual([
      'raw.users__history.cancelled_at',
      'raw.users__history.signup_ts',
      'raw.viewing_sessions__history.started_at',
    ]);
  });

  it('goes through aggregates', () => {
    expect(lineage.columns['agg_daily_usage.plan']).toEqual(['dim_user.plan']);
    expect(lineage.columns['agg_daily_usage.bitrate_kbps_seconds']).toEqual([
      'fact_viewing_session.avg_bitrate_kbps',
      'fact_viewing_session.watch_duration_s',
    ]);
    // count(*) reads no column.
    expect(lineage.columns['agg_daily_usage.sessions']).toEqual([]);
    expect(lineage.columns['agg_daily_content.viewers']).toEqual(['fact_viewing_session.user_key']);
    // An erased user's plan is 'unknown': erasure is known from the user's delete in the history.
    expect(rawOf('agg_daily_usage.plan')).toEqual([
      'raw.users__history.plan',
      'raw.users__history.user_id',
    ]);
  });
});
