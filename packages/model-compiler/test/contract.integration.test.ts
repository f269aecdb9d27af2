import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { type ReelhouseError } from '@reelhouse/core';

import { buildModels, compileProject, defineModel, table } from '../src/index.ts';
import { verifyContract } from '../src/verify-contract.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';
import { createRawFixture } from './fixtures/raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('contract');
beforeEach(async () => {
  await createRawFixture(warehouse.db);
  await sql`drop schema if exists trusted cascade`.execute(warehouse.db);
});

/** A model whose contract promises what the data may break. */
const user_prices = defineModel({
  name: 'user_prices',
  description: 'Price per user, indexed by country.',
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.ref(stg_users, 'u'))
      .select(['u.user_id', 'u.plan', 'u.country_code', 'u.monthly_price_cents']),
  contract: {
    columns: {
      user_id: { type: 'text' },
      plan: { type: 'text', nullable: true },
      country_code: { type: 'text', check: `country_code ~ '^[A-Z]{2}$'` },
      monthly_price_cents: { type: 'bigint', check: 'monthly_price_cents >= 0' },
    },
    primaryKey: ['user_id'],
    indexes: [['country_code']],
  },
});

describe('contracts', () => {
  it('are emitted as DDL: declared types, NOT NULL, CHECK, primary and foreign keys, indexes after the data', async () => {
    const result = await buildModels(warehouse.db, {
      models: [stg_users, plan_summary, premium_users, user_prices],
    });
    expect(result.status).toBe('success');
    const { rows: columns } = await sql<{ name: string; type: string; not_null: boolean }>`
      select attname as "name", format_type(atttypid, atttypmod) as "type", attnotnull as "not_null"
      from pg_attribute where attrelid = 'trusted.user_prices'::regclass and attnum > 0 order by attnum`.execute(
      warehouse.db,
    );
    expect(columns).toEqual([
      { name: 'user_id', type: 'text', not_null: true },
      { name: 'plan', type: 'text', not_null: false },
      { name: 'country_code', type: 'text', not_null: true },
      { name: 'monthly_price_cents', type: 'bigint', not_null: true },
    ]);
    const { rows: constraints } = await sql<{ table: string; definition: string }>`
      select conrelid::regclass::text as "table", pg_get_constraintdef(oid) as "definition" from pg_constraint
      where connamespace = 'trusted'::regnamespace order by 1, 2`.execute(warehouse.db);
    expect(constraints).toEqual([
      { table: 'trusted.plan_summary', definition: 'CHECK ((users > 0))' },
      { table: 'trusted.plan_summary', definition: 'PRIMARY KEY (plan)' },
      {
        table: 'trusted.premium_users',
        definition: 'FOREIGN KEY (plan) REFERENCES trusted.plan_summary(plan)',
      },
      { table: 'trusted.premium_users', definition: 'PRIMARY KEY (user_id)' },
      { table: 'trusted.user_prices', definition: "CHECK ((country_code ~ '^[A-Z]{2}$'::text))" },
      { table: 'trusted.user_prices', definition: 'CHECK ((monthly_price_cents >= 0))' },
      { table: 'trusted.user_prices', definition: 'PRIMARY KEY (user_id)' },
    ]);
    const { rows: indexes } = await sql<{
      indexdef: string;
    }>`select indexdef from pg_indexes where tablename = 'user_prices' order by 1`.execute(
      warehouse.db,
    );
    expect(indexes.map((index) => index.indexdef)).toEqual([
      'CREATE INDEX user_prices_country_code_idx ON trusted.user_prices USING btree (country_code)',
      'CREATE UNIQUE INDEX user_prices_pkey ON trusted.user_prices USING btree (user_id)',
    ]);
  });

  it('data that breaks the contract fails the model with contract_violation and publishes nothing', async () => {
    await warehouse.db
      .insertInto('raw.users')
      .values({ user_id: 'u9', plan: 'basic', country_code: 'france', monthly_price_cents: 100 })
      .execute();
    const result = await buildModels(warehouse.db, { models: [stg_users, user_prices] });
    expect(result.models.map((model) => [model.name, model.status, model.error?.code])).toEqual([
      ['stg_users', 'success', undefined],
      ['user_prices', 'error', 'contract_violation'],
    ]);
    expect(result.models[1]?.error?.message).toBe(
      'model user_prices breaks its contract: check constraint "user_prices_country_code_check" of relation "user_prices" is violated by some row',
    );
    const { rows } = await sql<{
      exists: boolean;
    }>`select to_regclass('trusted.user_prices') is not null as "exists"`.execute(warehouse.db);
    expect(rows).toEqual([{ exists: false }]);
  });

  it('a relation whose catalog differs from the contract is a contract_violation listing every difference', async () => {
    const contract = compileProject([stg_users, user_prices]).models[1]!.contract;
    await sql`create schema trusted`.execute(warehouse.db);
    await sql`create table trusted.user_prices (user_id text, country_code varchar(2) not null, plan text, monthly_price_cents bigint not null)`.execute(
      warehouse.db,
    );
    const error = await verifyContract(warehouse.db, {
      model: 'user_prices',
      relation: 'trusted.user_prices',
      contract,
      kind: 'table',
    }).then(
      () => undefined,
      (thrown: unknown) => thrown as ReelhouseError,
    );
    expect(error?.code).toBe('contract_violation');
    expect(error?.context['problems']).toEqual([
      'columns are (user_id, country_code, plan, monthly_price_cents), contract declares (user_id, plan, country_code, monthly_price_cents)',
      'column user_id is nullable, contract declares it not null',
      'column country_code is character varying(2), contract declares text',
      'primary key is (), contract declares (user_id)',
    ]);
  });
});
