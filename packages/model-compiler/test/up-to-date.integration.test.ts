import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { buildModels, defineModel, table, type BuildResult } from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';
import { contents } from './fixtures/raw-fixture.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('up_to_date', { max: 6 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
});

/** Sessions per user, downstream of the incremental fact_sessions. */
const sessions_per_user = defineModel({
  name: 'sessions_per_user',
  description: 'Sessions per user.',
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.ref(fact_sessions, 's'))
      .select(['s.user_id', (eb) => eb.fn.countAll<number>().as('sessions')])
      .groupBy('s.user_id'),
  contract: {
    columns: { user_id: { type: 'text' }, sessions: { type: 'bigint' } },
    primaryKey: ['user_id'],
  },
});

const models = [fact_sessions, premium_users, plan_summary, stg_users];
const versions = { 'raw.users': 'load-1', 'raw.viewing_sessions': 'load-1' };

function modes(result: BuildResult): Record<string, string | undefined> {
  return Object.fromEntries(result.models.map((model) => [model.name, model.mode]));
}

/** Each trusted relation's oid: a relation rebuilt and swapped in gets a new one. */
async function relationOids(): Promise<Record<string, number>> {
  const { rows } = await sql<{ relname: string; oid: number }>`
    select c.relname, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'trusted' and c.relkind in ('r', 'v') order by 1`.execute(warehouse.db);
  return Object.fromEntries(rows.map((row) => [row.relname, row.oid]));
}

describe('skipping up-to-date models (sourceVersions)', () => {
  it('a second build on the same source versions builds nothing and leaves every relation in place', async () => {
    const first = await buildModels(warehouse.db, { models, sourceVersions: versions });
    expect(Object.values(modes(first))).not.toContain('up_to_date');
    const oids = await relationOids();
    const second = await buildModels(warehouse.db, { models, sourceVersions: versions });
    expect(second.status).toBe('success');
    expect(second.published).toBe(true);
    expect(modes(second)).toEqual({
      stg_users: 'up_to_date',
      plan_summary: 'up_to_date',
      premium_users: 'up_to_date',
      fact_sessions: 'up_to_date',
    });
    expect(second.models.every((model) => model.status === 'success' && model.rows === 0)).toBe(
      true,
    );
    expect(await relationOids()).toEqual(oids);
  });

  it('validateOnly never skips: on unchanged sources it still builds and tests every model (issue 15)', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    // New data under the same source version: only a real check sees it.
    await warehouse.db
      .insertInto('raw.users')
      .values({ user_id: 'u9', plan: 'gold', country_code: 'FR', monthly_price_cents: 1 })
      .execute();
    const validated = await buildModels(warehouse.db, {
      models,
      sourceVersions: versions,
      validateOnly: true,
    });
    expect(Object.values(modes(validated))).not.toContain('up_to_date');
    expect(validated.models.find((model) => model.name === 'stg_users')?.status).toBe('error');
  });

  it('a new version of one source rebuilds the models reading it and their descendants only', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    await warehouse.db
      .updateTable('raw.users')
      .set({ monthly_price_cents: 2000 })
      .where('user_id', '=', 'u2')
      .execute();
    const result = await buildModels(warehouse.db, {
      models,
      sourceVersions: { ...versions, 'raw.users': 'load-2' },
    });
    expect(modes(result)).toEqual({
      stg_users: 'view',
      plan_summary: 'table',
      premium_users: 'table',
      fact_sessions: 'up_to_date',
    });
    expect(await contents(warehouse.db, 'trusted.plan_summary')).toContainEqual({
      plan: 'premium',
      users: 2,
      revenue_cents: 3799,
    });
    // The foreign key of the rebuilt premium_users points at the rebuilt plan_summary.
    const { rows } = await sql<{ definition: string }>`
      select pg_get_constraintdef(oid) as "definition" from pg_constraint
       where conrelid = 'trusted.premium_users'::regclass and contype = 'f'`.execute(warehouse.db);
    expect(rows).toEqual([
      { definition: 'FOREIGN KEY (plan) REFERENCES trusted.plan_summary(plan)' },
    ]);
  });

  it('a changed model is rebuilt with its descendants; its unchanged upstream is not', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    // Same name and contract, a different query: a new fingerprint.
    const changedSummary = defineModel({
      name: 'plan_summary',
      description: 'Users and revenue per plan, users with a price only.',
      materialization: table(),
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(stg_users, 'u'))
          .select([
            'u.plan',
            (eb) => eb.fn.countAll<number>().as('users'),
            (eb) => eb.fn.sum<number>('u.monthly_price_cents').as('revenue_cents'),
          ])
          .where('u.monthly_price_cents', 'is not', null)
          .groupBy('u.plan'),
      contract: plan_summary.contract,
    });
    const result = await buildModels(warehouse.db, {
      models: [fact_sessions, premium_users, changedSummary, stg_users],
      sourceVersions: versions,
    });
    expect(modes(result)).toEqual({
      stg_users: 'up_to_date',
      plan_summary: 'table',
      premium_users: 'table',
      fact_sessions: 'up_to_date',
    });
  });

  it('a model whose upstream was rebuilt by an earlier, narrower build is rebuilt', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    const narrow = await buildModels(warehouse.db, {
      models,
      select: ['plan_summary'],
      fullRefresh: true,
      sourceVersions: versions,
    });
    expect(modes(narrow)).toEqual({ plan_summary: 'table' });
    const result = await buildModels(warehouse.db, { models, sourceVersions: versions });
    expect(modes(result)).toEqual({
      stg_users: 'up_to_date',
      plan_summary: 'up_to_date',
      premium_users: 'table',
      fact_sessions: 'up_to_date',
    });
  });

  it('without source versions, with a full refresh, or with a source left unversioned, models are built', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    const unversioned = await buildModels(warehouse.db, { models });
    expect(Object.values(modes(unversioned))).not.toContain('up_to_date');
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    const refreshed = await buildModels(warehouse.db, {
      models,
      sourceVersions: versions,
      fullRefresh: true,
    });
    expect(Object.values(modes(refreshed))).not.toContain('up_to_date');
    const partial = await buildModels(warehouse.db, {
      models,
      sourceVersions: { 'raw.users': 'load-1' },
    });
    expect(modes(partial)).toEqual({
      stg_users: 'up_to_date',
      plan_summary: 'up_to_date',
      premium_users: 'up_to_date',
      fact_sessions: 'incremental_delta',
    });
  });

  it('an incremental upstream that merged no row does not rebuild its descendants; one that did, does', async () => {
    const withDownstream = [...models, sessions_per_user];
    await buildModels(warehouse.db, { models: withDownstream, sourceVersions: versions });
    const nothingNew = await buildModels(warehouse.db, {
      models: withDownstream,
      sourceVersions: { ...versions, 'raw.viewing_sessions': 'load-2' },
    });
    expect(nothingNew.models.map((m) => [m.name, m.mode, m.rows])).toEqual(
      expect.arrayContaining([
        ['fact_sessions', 'incremental_delta', 0],
        ['sessions_per_user', 'up_to_date', 0],
      ]),
    );
    const before = await contents(warehouse.db, 'trusted.sessions_per_user');
    await warehouse.db
      .insertInto('raw.viewing_sessions')
      .values({
        session_id: 's-new',
        user_id: 'u1',
        started_at: '2030-01-01T10:00:00Z',
        watch_duration_s: 60,
        updated_at: '2030-01-01T10:01:00Z',
      })
      .execute();
    const oneNew = await buildModels(warehouse.db, {
      models: withDownstream,
      sourceVersions: { ...versions, 'raw.viewing_sessions': 'load-3' },
    });
    expect(oneNew.models.map((m) => [m.name, m.mode, m.rows])).toEqual(
      expect.arrayContaining([
        ['fact_sessions', 'incremental_delta', 1],
        ['sessions_per_user', 'table', expect.any(Number)],
      ]),
    );
    expect(await contents(warehouse.db, 'trusted.sessions_per_user')).not.toEqual(before);
    // The next build on the same versions finds both up to date again.
    const again = await buildModels(warehouse.db, {
      models: withDownstream,
      sourceVersions: { ...versions, 'raw.viewing_sessions': 'load-3' },
    });
    expect(new Set(again.models.map((m) => m.mode))).toEqual(new Set(['up_to_date']));
  });

  it('a model whose published relation was dropped is built again', async () => {
    await buildModels(warehouse.db, { models, sourceVersions: versions });
    await sql`drop table trusted.premium_users`.execute(warehouse.db);
    const result = await buildModels(warehouse.db, { models, sourceVersions: versions });
    expect(modes(result)['premium_users']).toBe('table');
    expect(await contents(warehouse.db, 'trusted.premium_users')).not.toEqual([]);
  });
});
