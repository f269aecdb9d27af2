import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool } from '@reelhouse/warehouse';

import type { AnyKysely } from '../src/any-kysely.ts';
import { buildModels, defineModel, incremental, type IncrementalStrategy } from '../src/index.ts';
import { contents, createRawFixture } from './fixtures/raw-fixture.ts';

const database = usePostgresDatabase('incremental');
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
  await sql`drop schema if exists ops cascade`.execute(db);
});

/** Sessions by key, reading only rows updated after the newest `updated_at` already in the table. */
function sessionsModel(strategy: IncrementalStrategy) {
  return defineModel({
    name: 'sessions',
    description: `Sessions, incremental ${strategy}.`,
    materialization: incremental({ strategy, uniqueKey: ['session_id'] }),
    select: (ctx) => {
      const query = ctx.db.selectFrom(ctx.source('raw.viewing_sessions', 's')).select(['s.session_id', 's.watch_duration_s', 's.updated_at']);
      if (!ctx.isIncremental) return query;
      return query.where('s.updated_at', '>', (eb) => eb.selectFrom(ctx.self('t')).select(sql<Date>`max("t"."updated_at")`.as('since')));
    },
    contract: { columns: { session_id: { type: 'text' }, watch_duration_s: { type: 'integer' }, updated_at: { type: 'timestamptz' } }, primaryKey: strategy === 'append' ? [] : ['session_id'] },
    tests: (t) => [t.notNull('watch_duration_s')],
  });
}

async function insertSessions(rows: [id: string, seconds: number, updatedAt: string][]): Promise<void> {
  await db
    .insertInto('raw.viewing_sessions')
    .values(rows.map(([session_id, watch_duration_s, updated_at]) => ({ session_id, user_id: 'u1', started_at: '2024-01-01T10:00:00Z', watch_duration_s, updated_at })))
    .onConflict((oc) => oc.column('session_id').doUpdateSet((eb) => ({ watch_duration_s: eb.ref('excluded.watch_duration_s'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

const at = (day: number) => new Date(Date.UTC(2024, 0, day));

describe('incremental models', () => {
  it.each([
    ['merge', [['s1', 10, at(1)], ['s2', 99, at(3)], ['s3', 30, at(3)]]],
    ['delete+insert', [['s1', 10, at(1)], ['s2', 99, at(3)], ['s3', 30, at(3)]]],
    ['append', [['s1', 10, at(1)], ['s2', 20, at(2)], ['s2', 99, at(3)], ['s3', 30, at(3)]]],
  ] as const)('%s: the second run applies only the new rows, and the table stands merged', async (strategy, expected) => {
    const model = sessionsModel(strategy);
    await insertSessions([['s1', 10, '2024-01-01'], ['s2', 20, '2024-01-02']]);
    const first = await buildModels(db, { models: [model] });
    expect(first.models.map((m) => [m.mode, m.rows])).toEqual([['incremental_full', 2]]);
    await insertSessions([['s2', 99, '2024-01-03'], ['s3', 30, '2024-01-03']]);
    const second = await buildModels(db, { models: [model] });
    expect(second.models.map((m) => [m.mode, m.rows, m.status])).toEqual([['incremental_delta', 2, 'success']]);
    const rows = (await contents(db, 'trusted.sessions')).map((row) => Object.values(row as object) as unknown[]);
    expect(rows).toEqual(expected.map((row) => [...row]));
  });
});
