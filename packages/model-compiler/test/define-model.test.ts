import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { defineModel, table, type ModelContext, type RowOf } from '../src/index.ts';

const offline = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

// A minimal context: the engine's real one also records references and picks the build schema.
const context: ModelContext = {
  db: offline,
  ref: (model, alias) => sql`${sql.table(`trusted.${model.name}`)}`.as(alias) as never,
  source: (name, alias) => sql`${sql.table(name)}`.as(alias) as never,
  isIncremental: false,
  interval: undefined,
  self: (alias) => sql<object>`${sql.table('trusted.self')}`.as(alias),
  changes: () => undefined,
};

const plans = defineModel({
  name: 'plans',
  description: 'One row per plan.',
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.users', 'u'))
      .select(['u.plan', (eb) => eb.fn.countAll<number>().as('users')])
      .groupBy('u.plan'),
  contract: {
    columns: { plan: { type: 'text' }, users: { type: 'bigint' } },
    primaryKey: ['plan'],
  },
  tests: (t) => [t.unique('plan'), t.notNull('users')],
});

describe('defineModel', () => {
  it('infers the row type from the query and types the references of downstream models', () => {
    expectTypeOf<RowOf<typeof plans>>().toEqualTypeOf<{ plan: string; users: number }>();
    const premiumUsers = defineModel({
      name: 'premium_users',
      description: 'Premium plan size.',
      materialization: table(),
      select: (ctx) =>
        ctx.db.selectFrom(ctx.ref(plans, 'p')).select('p.users').where('p.plan', '=', 'premium'),
      contract: { columns: { users: { type: 'bigint' } } },
    });
    expectTypeOf<RowOf<typeof premiumUsers>>().toEqualTypeOf<{ users: number }>();
    expect(premiumUsers.select(context).compile().sql).toBe(
      'select "p"."users" from "trusted"."plans" as "p" where "p"."plan" = $1',
    );
    // @ts-expect-error -- `plans` has no column `price`: a wrong upstream column is a compile error
    context.db.selectFrom(context.ref(plans, 'p')).select('p.price').compile();
  });

  it('compiles the query offline, SQL first', () => {
    expect(plans.select(context).compile().sql).toMatchInlineSnapshot(
      `"select "u"."plan", count(*) as "users" from "raw"."users" as "u" group by "u"."plan""`,
    );
  });

  it('builds typed tests and freezes the definition', () => {
    expect(plans.tests.map((test) => test.kind)).toEqual(['unique', 'not_null']);
    expect(Object.isFrozen(plans)).toBe(true);
    defineModel({
      name: 'bad_contract',
      description: 'x',
      materialization: table(),
      select: (ctx) => ctx.db.selectFrom(ctx.source('raw.users', 'u')).select('u.plan'),
      // @ts-expect-error -- the contract must declare exactly the output columns
      contract: { columns: { plam: { type: 'text' } } },
    });
  });
});
