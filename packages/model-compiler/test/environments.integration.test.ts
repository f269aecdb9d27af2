import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  buildModels,
  columnLineage,
  defineExposure,
  defineModel,
  diffEnvironment,
  promoteEnvironment,
  table,
} from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';
import { contents } from './fixtures/raw-fixture.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('environments', { max: 6 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
  await sql`drop schema if exists trusted__dev cascade`.execute(warehouse.db);
  await sql`drop schema if exists direct cascade`.execute(warehouse.db);
});

/** plan_summary changed: basic users left out and revenue dropped (a breaking change: premium_users reads it). */
const changedSummary = defineModel({
  ...plan_summary,
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.ref(stg_users, 'u'))
      .select(['u.plan', (eb) => eb.fn.countAll<number>().as('users')])
      .where('u.plan', '<>', 'basic')
      .groupBy('u.plan'),
  contract: {
    columns: { plan: { type: 'text' }, users: { type: 'bigint', check: '"users" > 0' } },
    primaryKey: ['plan'],
  },
  tests: (t) => [t.unique('plan')],
});
const before = [fact_sessions, premium_users, plan_summary, stg_users];
const after = [fact_sessions, premium_users, changedSummary, stg_users];

async function relations(schema: string): Promise<Record<string, string>> {
  const { rows } = await sql<{ relname: string; kind: string }>`
    select c.relname, case c.relkind when 'v' then coalesce(obj_description(c.oid, 'pg_class'), 'view') else 'table' end as "kind"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'v') order by 1`.execute(warehouse.db);
  return Object.fromEntries(rows.map((row) => [row.relname, row.kind]));
}

describe('dev environments (issue 15)', () => {
  it('build only what changed, point the rest at trusted, and promote to what a direct build gives', async () => {
    await buildModels(warehouse.db, { models: before });
    const dev = await buildModels(warehouse.db, {
      models: after,
      targetSchema: 'trusted__dev',
      virtualBase: 'trusted',
    });
    expect(dev.models.map((model) => [model.name, model.status])).toEqual([
      ['plan_summary', 'success'],
      ['premium_users', 'success'],
    ]);
    expect(await relations('trusted__dev')).toEqual({
      fact_sessions: 'reelhouse: virtual view of trusted.fact_sessions',
      plan_summary: 'table',
      premium_users: 'table',
      stg_users: 'reelhouse: virtual view of trusted.stg_users',
    });

    const board = (name: string, columns: string[]) =>
      defineExposure({
        name,
        label: name,
        type: 'dashboard',
        description: name,
        owner: { name: 'Analytics' },
        columns,
        metrics: [],
      });
    const diff = await diffEnvironment(warehouse.db, {
      models: after,
      from: 'trusted__dev',
      exposures: [
        board('revenue_board', ['plan_summary.revenue_cents', 'plan_summary.plan']),
        board('country_board', ['premium_users.country_code']),
      ],
      lineage: await columnLineage(after),
    });
    expect(diff.find((model) => model.model === 'plan_summary')).toMatchObject({
      rows: { environment: 2, target: 3 },
      onlyInTarget: 1,
      droppedColumns: ['revenue_cents'],
      breaking: {
        columns: ['revenue_cents'],
        readers: ['premium_users'],
        exposures: ['revenue_board'],
      },
    });

    const promoted = await promoteEnvironment(warehouse.db, {
      models: after,
      from: 'trusted__dev',
    });
    expect(promoted.promoted).toEqual(['plan_summary', 'premium_users']);
    await buildModels(warehouse.db, { models: after, targetSchema: 'direct' });
    for (const name of ['stg_users', 'plan_summary', 'premium_users', 'fact_sessions'])
      expect([name, await contents(warehouse.db, `trusted.${name}`)]).toEqual([
        name,
        await contents(warehouse.db, `direct.${name}`),
      ]);
    expect(await relations('trusted')).toEqual(
      Object.fromEntries(
        Object.keys(await relations('direct')).map((name) => [
          name,
          name === 'stg_users' ? 'view' : 'table',
        ]),
      ),
    );
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_namespace where nspname = 'trusted__dev'`.execute(
      warehouse.db,
    );
    expect(rows[0]?.n).toBe(0);
    // trusted keeps its build state: the next build skips what the promote brought in.
    const next = await buildModels(warehouse.db, {
      models: after,
      sourceVersions: { 'raw.users': 'v1', 'raw.viewing_sessions': 'v1' },
    });
    expect(next.status).toBe('success');
  });
});
