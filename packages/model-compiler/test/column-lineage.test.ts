import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';

import {
  columnLineage,
  createOfflineKysely,
  defineExposure,
  defineModel,
  downstreamTree,
  queryColumnLineage,
  renderLineageTree,
  table,
  upstreamTree,
  view,
} from '../src/index.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';

/** Exercises every construct the walk handles: CTEs, joins, unions, window functions, raw SQL text. */
const user_summary = defineModel({
  name: 'user_summary',
  description: 'Per user: plan label, revenue share and first session.',
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .with('firsts', (db) =>
        db
          .selectFrom(ctx.source('raw.viewing_sessions', 's'))
          .select(['s.user_id', (eb) => eb.fn.min('s.started_at').as('first_started_at')])
          .groupBy('s.user_id'),
      )
      .selectFrom(ctx.ref(stg_users, 'u'))
      .leftJoin('firsts as f', 'f.user_id', 'u.user_id')
      .innerJoin(ctx.ref(plan_summary, 'p'), 'p.plan', 'u.plan')
      // SQL text: read by PostgreSQL's parser, with its own CTE, window and star.
      .innerJoin(
        sql<{ user_id: string; rank_in_country: number }>`(
          with ranked as (select r.user_id, r.country_code, rank() over (partition by r.country_code order by r.signup_ts) as rank_in_country from raw.users r)
          select x.* from ranked x)`.as('k'),
        'k.user_id',
        'u.user_id',
      )
      .select((eb) => [
        'u.user_id',
        sql<string>`upper(${eb.ref('u.plan')}) || '-' || ${eb.ref('p.users')}`.as('plan_label'),
        sql<number>`u.monthly_price_cents::float8 / nullif(p.revenue_cents, 0)`.as('revenue_share'),
        'f.first_started_at',
        'k.rank_in_country',
      ])
      .unionAll(
        ctx.db.selectNoFrom([
          sql<string>`'unknown'`.as('user_id'),
          sql<string>`'UNKNOWN'`.as('plan_label'),
          sql<number>`0`.as('revenue_share'),
          sql<Date>`null::timestamptz`.as('first_started_at'),
          sql<number>`0`.as('rank_in_country'),
        ]),
      ),
  contract: {
    columns: {
      user_id: { type: 'text' },
      plan_label: { type: 'text' },
      revenue_share: { type: 'double precision' },
      first_started_at: { type: 'timestamptz' },
      rank_in_country: { type: 'bigint' },
    },
  },
});

const project = [stg_users, plan_summary, premium_users, user_summary];

describe('columnLineage', () => {
  it('maps each model column to the columns its values are computed from, one step up', async () => {
    const lineage = await columnLineage(project);
    expect(lineage.columns).toEqual({
      'stg_users.user_id': ['raw.users.user_id'],
      'stg_users.plan': ['raw.users.plan'],
      'stg_users.country_code': ['raw.users.country_code'],
      'stg_users.monthly_price_cents': ['raw.users.monthly_price_cents'],
      // count(*) reads no column; the group key is a filter, not a value.
      'plan_summary.plan': ['stg_users.plan'],
      'plan_summary.users': [],
      'plan_summary.revenue_cents': ['stg_users.monthly_price_cents'],
      'premium_users.user_id': ['stg_users.user_id'],
      'premium_users.country_code': ['stg_users.country_code'],
      'premium_users.plan': ['stg_users.plan'],
      'user_summary.user_id': ['stg_users.user_id'],
      'user_summary.plan_label': ['plan_summary.users', 'stg_users.plan'],
      'user_summary.revenue_share': ['plan_summary.revenue_cents', 'stg_users.monthly_price_cents'],
      'user_summary.first_started_at': ['raw.viewing_sessions.started_at'],
      'user_summary.rank_in_country': ['raw.users.country_code', 'raw.users.signup_ts'],
    });
  });

  it('prints the upstream tree down to raw, and the downstream tree up to the exposures', async () => {
    const lineage = await columnLineage(project);
    expect(renderLineageTree(upstreamTree(lineage, 'user_summary.plan_label'))).toBe(
      [
        'user_summary.plan_label',
        '├── plan_summary.users',
        '└── stg_users.plan',
        '    └── raw.users.plan',
      ].join('\n'),
    );
    const exposure = defineExposure({
      name: 'plan_board',
      label: 'Plan board',
      type: 'dashboard',
      description: 'Plans.',
      owner: { name: 'Analytics' },
      columns: ['plan_summary.plan'],
      metrics: [],
    });
    expect(renderLineageTree(downstreamTree(lineage, 'stg_users.plan', [exposure]))).toBe(
      [
        'stg_users.plan',
        '├── plan_summary.plan',
        '│   └── exposure:plan_board',
        '├── premium_users.plan',
        '└── user_summary.plan_label',
      ].join('\n'),
    );
  });

  it('rejects an unknown column with the model columns, and an unknown model with the models', async () => {
    const lineage = await columnLineage(project);
    expect(() => upstreamTree(lineage, 'stg_users.email')).toThrow(
      'model stg_users has no column "email"; its columns: user_id, plan, country_code, monthly_price_cents',
    );
    expect(() => upstreamTree(lineage, 'dim_user.user_key')).toThrow(
      /no model "dim_user" \(expected model\.column\); models: stg_users, plan_summary/,
    );
  });

  it('fails with graph_invalid when a reference cannot be resolved', async () => {
    const broken = defineModel({
      name: 'broken',
      description: 'Reads a relation of neither trusted nor raw.',
      materialization: view(),
      select: (ctx) =>
        ctx.db.selectFrom(sql`elsewhere.users`.as('e')).select(sql<string>`e.id`.as('id')),
      contract: { columns: { id: { type: 'text' } } },
    });
    const error = await columnLineage([broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReelhouseError);
    expect((error as ReelhouseError).code).toBe('graph_invalid');
    expect((error as ReelhouseError).message).toContain(
      'elsewhere.users is neither a model nor a raw source',
    );
  });
});

describe('queryColumnLineage', () => {
  it('names the model columns a query over trusted reads, filters included in aggregates', async () => {
    const db = createOfflineKysely();
    const query = db
      .selectFrom(sql`trusted.plan_summary`.as('p'))
      .select([
        sql<number>`sum(p.users) filter (where p.plan <> 'basic')`.as('paying_users'),
        sql<string>`p.plan`.as('plan'),
      ]);
    expect(await queryColumnLineage(query)).toEqual({
      paying_users: ['plan_summary.plan', 'plan_summary.users'],
      plan: ['plan_summary.plan'],
    });
  });

  it('also names the columns of joins, filters and grouping when asked', async () => {
    const db = createOfflineKysely();
    const query = db
      .selectFrom(sql`trusted.premium_users`.as('u'))
      .innerJoin(sql`trusted.plan_summary`.as('p'), (join) =>
        join.on(sql<boolean>`p.plan = u.plan`),
      )
      .where(sql<boolean>`u.country_code = 'FR'`)
      .select(sql<number>`sum(p.users)`.as('users'));
    expect(await queryColumnLineage(query, { conditions: true })).toEqual({
      users: ['plan_summary.users'],
      '(conditions)': ['plan_summary.plan', 'premium_users.country_code', 'premium_users.plan'],
    });
  });
});
