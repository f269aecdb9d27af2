import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';

import {
  createKysely,
  createPool,
  ensureWarehouseSchemas,
  type WarehouseDatabase,
} from '../src/index.ts';

describe('warehouse connection', () => {
  const database = usePostgresDatabase('warehouse');
  let db: ReturnType<typeof createKysely<WarehouseDatabase>>;

  beforeAll(() => {
    db = createKysely<WarehouseDatabase>(
      createPool({ url: database.url, applicationName: 'reelhouse-test' }),
    );
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('creates the raw, trusted and ops schemas, and is rerunnable', async () => {
    await ensureWarehouseSchemas(db);
    await ensureWarehouseSchemas(db);
    const { rows } = await sql<{
      nspname: string;
    }>`select nspname from pg_namespace where nspname in ('raw', 'trusted', 'ops') order by nspname`.execute(
      db,
    );
    expect(rows.map((r) => r.nspname)).toEqual(['ops', 'raw', 'trusted']);
  });

  it('reads dates as YYYY-MM-DD text and bigint and numeric as numbers', async () => {
    const { rows } = await sql<{ d: string; big: number; num: number; ts: Date }>`
      select date '2024-02-29' as d, 9007199254740991::bigint as big, 12.5::numeric as num, timestamptz '2024-01-01 00:00:00+00' as ts`.execute(
      db,
    );
    expect(rows[0]).toEqual({
      d: '2024-02-29',
      big: 9007199254740991,
      num: 12.5,
      ts: new Date('2024-01-01T00:00:00Z'),
    });
  });

  it('shows its application name in pg_stat_activity', async () => {
    const { rows } = await sql<{
      name: string;
    }>`select application_name as name from pg_stat_activity where pid = pg_backend_pid()`.execute(
      db,
    );
    expect(rows[0]?.name).toBe('reelhouse-test');
  });

  it('addresses tables schema-qualified with typed rows', async () => {
    await sql`create table if not exists raw._state (stream text primary key, cursor_column text not null, cursor_value text not null, load_id text not null, updated_at timestamptz not null)`.execute(
      db,
    );
    await db
      .insertInto('raw._state')
      .values({
        stream: 'users',
        cursor_column: 'updated_at',
        cursor_value: '2024-01-01 00:00:00.123456+00',
        load_id: 'l1',
        updated_at: new Date(),
      })
      .execute();
    const state = await db
      .selectFrom('raw._state')
      .select(['stream', 'cursor_value'])
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ stream: 'users', cursor_value: '2024-01-01 00:00:00.123456+00' });
    expect(db.selectFrom('raw._state').select('cursor_value').compile().sql).toBe(
      'select "cursor_value" from "raw"."_state"',
    );
  });
});
