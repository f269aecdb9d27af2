import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool } from '@reelhouse/warehouse';

import type { AnyKysely } from '../src/any-kysely.ts';
import { buildModels } from '../src/index.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';
import { contents, createRawFixture } from './fixtures/raw-fixture.ts';

const database = usePostgresDatabase('build_models');
let pool: pg.Pool;
let db: AnyKysely;

beforeAll(() => {
  pool = createPool({ url: database.url, max: 6 });
  db = createKysely(pool);
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await createRawFixture(db);
  await sql`drop schema if exists trusted cascade`.execute(db);
});

const models = [premium_users, plan_summary, stg_users];

describe('buildModels', () => {
  it('builds views and tables in dependency order and publishes them into trusted', async () => {
    const result = await buildModels(db, { models });
    expect(result.models.map((model) => [model.name, model.status, model.mode, model.rows])).toEqual([
      ['stg_users', 'success', 'view', null],
      ['plan_summary', 'success', 'table', 3],
      ['premium_users', 'success', 'table', 2],
    ]);
    expect(result.status).toBe('success');
    expect(result.published).toBe(true);
    expect(await contents(db, 'trusted.plan_summary')).toEqual([
      { plan: 'basic', users: 1, revenue_cents: 799 },
      { plan: 'premium', users: 2, revenue_cents: 3598 },
      { plan: 'standard', users: 1, revenue_cents: 1299 },
    ]);
    expect(await contents(db, 'trusted.premium_users')).toEqual([
      { user_id: 'u2', country_code: 'DE', plan: 'premium' },
      { user_id: 'u3', country_code: 'FR', plan: 'premium' },
    ]);
    const { rows: schemas } = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'trusted%' order by 1`.execute(db);
    expect(schemas).toEqual([{ nspname: 'trusted' }]);
  });
});
