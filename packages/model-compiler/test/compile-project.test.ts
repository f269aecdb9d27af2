import { sql } from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';

import {
  compileProject,
  defineModel,
  incremental,
  view,
  type AnyModel,
  type ModelContext,
  type RowOf,
} from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';

function graphError(run: () => unknown): ReelhouseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReelhouseError) return error;
    throw error;
  }
  throw new Error('expected a graph_invalid error');
}

/** A model reading the models `holder` names at compile time: how a test builds a cycle. */
function reading(name: string, upstream: () => readonly AnyModel[]) {
  return defineModel({
    name,
    description: `${name} for graph tests`,
    materialization: view(),
    select: (ctx) => {
      const [first, ...rest] = upstream();
      const from = first === undefined ? ctx.source('raw.users', 'r0') : ctx.ref(first, 'r0');
      for (const [index, model] of rest.entries()) ctx.ref(model, `r${index + 1}`);
      return ctx.db.selectFrom(from).select(sql<number>`1`.as('one'));
    },
    contract: { columns: { one: { type: 'integer' } } },
  });
}

describe('compileProject', () => {
  const project = compileProject([premium_users, fact_sessions, plan_summary, stg_users]);

  it('orders models upstream first and records the graph from ctx.ref and ctx.source', () => {
    expect(project.models.map((model) => [model.name, model.dependsOn, model.sources])).toEqual([
      ['fact_sessions', [], ['raw.viewing_sessions']],
      ['stg_users', [], ['raw.users']],
      ['plan_summary', ['stg_users'], []],
      ['premium_users', ['plan_summary', 'stg_users'], []],
    ]);
    expect(Object.isFrozen(project)).toBe(true);
    expect(Object.isFrozen(project.models[0])).toBe(true);
  });

  it('compiles each select offline against the target schema, values inlined as literals', () => {
    const [, , planSummary, premiumUsers] = project.models;
    expect(planSummary?.sql).toMatchInlineSnapshot(
      `"select "u"."plan", count(*) as "users", sum("u"."monthly_price_cents") as "revenue_cents" from "trusted"."stg_users" as "u" group by "u"."plan""`,
    );
    expect(premiumUsers?.sql).toMatchInlineSnapshot(
      `"select "u"."user_id", "u"."country_code", "u"."plan" from "trusted"."stg_users" as "u" where "u"."plan" = 'premium'"`,
    );
    expect(premiumUsers?.parameters).toEqual([]);
    expect(
      compileProject([stg_users, plan_summary], { targetSchema: 'analytics' }).models[1]?.sql,
    ).toContain('from "analytics"."stg_users"');
  });

  it('compiles the data tests to failing-row queries', () => {
    expect(project.models[1]?.tests.map((test) => [test.name, test.severity, test.sql]))
      .toMatchInlineSnapshot(`
      [
        [
          "unique(user_id)",
          "error",
          "select "user_id", count(*) as "duplicates" from "trusted"."stg_users" group by "user_id" having count(*) > 1",
        ],
        [
          "not_null(plan)",
          "error",
          "select * from "trusted"."stg_users" where "plan" is null",
        ],
        [
          "accepted_values(plan)",
          "error",
          "select * from "trusted"."stg_users" where "plan" is not null and "plan" not in ('basic', 'standard', 'premium')",
        ],
      ]
    `);
    expect(project.models[3]?.tests.map((test) => test.sql)).toMatchInlineSnapshot(`
      [
        "select "child".* from "trusted"."premium_users" as "child" left join "trusted"."plan_summary" as "parent" on "child"."plan" = "parent"."plan" where "child"."plan" is not null and "parent"."plan" is null",
      ]
    `);
  });

  it('reports a cycle as a chain', () => {
    const models: Record<string, AnyModel> = {};
    models['a'] = reading('a', () => [models['b']!]);
    models['b'] = reading('b', () => [models['a']!]);
    const error = graphError(() => compileProject(Object.values(models)));
    expect(error.code).toBe('graph_invalid');
    expect(error.message).toMatchInlineSnapshot(`
      "the model graph has 1 problem(s):
        - cycle: a → b → a (each model reads the next)"
    `);
  });

  it('collects every problem, each with its model: duplicates, unknown references, cycles, bad incremental settings', () => {
    const models: Record<string, AnyModel> = {};
    models['x'] = reading('x', () => [models['y']!]);
    models['y'] = reading('y', () => [models['z']!]);
    models['z'] = reading('z', () => [models['x']!]);
    const orphan = reading('orphan', () => [stg_users]);
    const badIncremental = defineModel({
      name: 'bad_incremental',
      description: 'merge without a key',
      materialization: incremental({ strategy: 'merge', uniqueKey: [] }),
      select: (ctx) => ctx.db.selectFrom(ctx.source('raw.users', 'u')).select('u.user_id'),
      contract: { columns: { user_id: { type: 'text' } } },
    });
    const error = graphError(() =>
      compileProject([
        ...Object.values(models),
        orphan,
        reading('orphan', () => []),
        badIncremental,
      ]),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "the model graph has 4 problem(s):
        - model "orphan" is defined more than once
        - model "orphan" references "stg_users", which is not in the project
        - model "bad_incremental": strategy merge needs a uniqueKey
        - cycle: x → y → z → x (each model reads the next)"
    `);
    expect(
      (error.context['problems'] as { model: string; problem: string }[]).map((p) => [
        p.model,
        p.problem,
      ]),
    ).toEqual([
      ['orphan', 'duplicate_name'],
      ['orphan', 'unknown_reference'],
      ['bad_incremental', 'invalid_config'],
      ['x', 'cycle'],
    ]);
  });

  it('makes a column its upstream does not produce a type error', () => {
    expectTypeOf<RowOf<typeof plan_summary>>().toEqualTypeOf<{
      plan: string;
      users: number;
      revenue_cents: number;
    }>();
    const readsPrice = (ctx: ModelContext) =>
      // @ts-expect-error -- plan_summary has no column `price`
      ctx.db.selectFrom(ctx.ref(plan_summary, 'p')).select(['p.plan', 'p.price']);
    expectTypeOf(readsPrice).toBeFunction();
    const readsPlan = defineModel({
      name: 'reads_plan',
      description: 'reads a column plan_summary has',
      materialization: view(),
      select: (ctx) => ctx.db.selectFrom(ctx.ref(plan_summary, 'p')).select(['p.plan']),
      contract: { columns: { plan: { type: 'text' } } },
    });
    expectTypeOf<RowOf<typeof readsPlan>>().toEqualTypeOf<{ plan: string }>();
    expect(readsPlan.name).toBe('reads_plan');
  });

  it('rejects a value that cannot be a SQL literal, naming the model', () => {
    const arrayParameter = defineModel({
      name: 'array_parameter',
      description: 'binds an array',
      materialization: view(),
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.source('raw.users', 'u'))
          .select('u.plan')
          .where(sql<boolean>`u.plan = any(${['a', 'b']})`),
      contract: { columns: { plan: { type: 'text' } } },
    });
    expect(graphError(() => compileProject([arrayParameter])).message).toMatchInlineSnapshot(`
      "the model graph has 1 problem(s):
        - model "array_parameter": a model query holds a value that cannot be written as a SQL literal (array): use sql.lit, an array constructor in SQL, or a join against a model instead"
    `);
  });
});
