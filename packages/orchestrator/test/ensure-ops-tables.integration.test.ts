import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { opsColumns } from '../src/ensure-ops-tables.ts';
import { ensureOpsTables } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_ops');
let warehouse: pg.Pool;

beforeAll(() => {
  warehouse = createPool({ url: database.url, max: 4 });
});
afterAll(async () => {
  await closePool(warehouse);
});

describe('ensureOpsTables', () => {
  it('creates the run history tables with exactly the columns of their Kysely types, concurrently and rerunnably', async () => {
    await Promise.all([
      ensureOpsTables(warehouse),
      ensureOpsTables(warehouse),
      ensureOpsTables(warehouse),
    ]);
    await ensureOpsTables(warehouse);

    const { rows } = await warehouse.query<{ table: string; columns: string[] }>(
      `select table_name as table, array_agg(column_name::text order by ordinal_position) as columns
       from information_schema.columns where table_schema = 'ops' group by table_name order by table_name`,
    );
    expect(rows).toEqual(
      Object.entries(opsColumns)
        .map(([table, columns]) => ({ table, columns: Object.keys(columns) }))
        .sort((a, b) => a.table.localeCompare(b.table)),
    );
  });
});
