import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extractToWarehouse } from '@reelhouse/extractor';
import { dayAfterBase, generateDataSet } from '@reelhouse/generators';
import {
  applyMongoBatches,
  applyPostgresBatches,
  createMongoCollections,
  createPostgresTables,
} from '@reelhouse/loaders';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';

import { closePool } from '../src/close-pool.ts';

const sourceDb = usePostgresDatabase('day_batches_src');
const warehouseDb = usePostgresDatabase('day_batches_dw');
const mongo = useMongoDatabase('day_batches');
let source: pg.Pool;
let warehouse: pg.Pool;
let root: string;
let dataDir: string;
const days = 6;

/** Every row of a table as `key@change_seq`, in key order. */
async function versions(pool: pg.Pool, table: string, key: string): Promise<string[]> {
  const result = await pool.query<{ v: string }>(
    `select ${key}::text || '@' || _change_seq as v from ${table} order by ${key}`,
  );
  return result.rows.map((row) => row.v);
}

/** The contract columns of current rows, so "equal" means the same data, not only the same versions. */
async function rows(
  pool: pg.Pool,
  query: { table: string; key: string; columns: string },
): Promise<string> {
  const result = await pool.query<{ md5: string }>(
    `select md5(string_agg(t::text, '|' order by t.${query.key})) as md5 from (select ${query.columns} from ${query.table}) t`,
  );
  return result.rows[0]?.md5 ?? '';
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rh-day-batches-'));
  dataDir = join(root, 'test-seed3');
  await generateDataSet({
    outDir: dataDir,
    seed: 3,
    scale: 'test',
    users: 500,
    sessions: 5_000,
    titles: 80,
    days,
  });
  source = createPool({ url: sourceDb.url, max: 3 });
  warehouse = createPool({ url: warehouseDb.url, max: 3 });
  await createPostgresTables(source);
  await createMongoCollections(mongo.db);
});

afterAll(async () => {
  await closePool(source);
  await closePool(warehouse);
  await rm(root, { recursive: true, force: true });
});

describe('day batches through sources into raw', () => {
  it(`keeps raw's current rows equal to the sources' after each of ${days} days`, async () => {
    let deleted = 0;
    for (let n = 0; n <= days; n++) {
      const through = n === 0 ? undefined : dayAfterBase(n);
      await applyPostgresBatches(source, { dataDir, through });
      await applyMongoBatches(mongo.db, { dataDir, through });
      const report = await extractToWarehouse({ source, mongo: mongo.db, warehouse });
      deleted += report.streams.reduce((sum, stream) => sum + stream.rowsDeleted, 0);
      expect(await versions(warehouse, 'raw.users', 'user_id')).toEqual(
        await versions(source, 'public.users', 'user_id'),
      );
      expect(await versions(warehouse, 'raw.viewing_sessions', 'session_id')).toEqual(
        await versions(source, 'public.viewing_sessions', 'session_id'),
      );
    }
    // The data too, not only the keys and versions (markers dropped: raw has no _change_xid).
    const userColumns = 'user_id, email, plan, subscription_status, cancelled_at, updated_at';
    expect(
      await rows(warehouse, { table: 'raw.users', key: 'user_id', columns: userColumns }),
    ).toBe(await rows(source, { table: 'public.users', key: 'user_id', columns: userColumns }));
    const sessionColumns = 'session_id, started_at, ended_at, watch_duration_s, updated_at';
    expect(
      await rows(warehouse, {
        table: 'raw.viewing_sessions',
        key: 'session_id',
        columns: sessionColumns,
      }),
    ).toBe(
      await rows(source, {
        table: 'public.viewing_sessions',
        key: 'session_id',
        columns: sessionColumns,
      }),
    );
    const content = await mongo.db.collection('content').countDocuments();
    const rawContent = await warehouse.query<{ n: number }>(
      'select count(*)::int as n from raw.content',
    );
    expect(rawContent.rows).toEqual([{ n: content }]);
    // Erasures and removed sessions happened and reached raw.
    expect(deleted).toBeGreaterThan(0);
    const ledger = await source.query<{ n: number }>(
      'select count(*)::int as n from public._applied_batches',
    );
    expect(ledger.rows).toEqual([{ n: days + 1 }]);
  });
});
