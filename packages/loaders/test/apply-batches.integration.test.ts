import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';

import {
  applyMongoBatches,
  applyMongoDayBatch,
  applyPostgresBatches,
  applyPostgresDayBatch,
  createMongoCollections,
  createPostgresTables,
} from '../src/index.ts';
import { movieDocument } from './fixtures/content-documents.ts';
import { writeBaseBatch, writeDayBatch } from './fixtures/day-batch-files.ts';
import { createDataDir, fixtureUuid, sessionRow, userRow } from './fixtures/source-rows.ts';

const database = usePostgresDatabase('loaders_batches');
const mongo = useMongoDatabase('loaders_batches');
let pool: pg.Pool;
let data: Awaited<ReturnType<typeof createDataDir>>;

const users = Array.from({ length: 10 }, (_, n) => userRow(n + 1));
const sessions = Array.from({ length: 20 }, (_, n) => sessionRow(n + 1));
const documents = Array.from({ length: 5 }, (_, n) => movieDocument(n + 1));
const day1 = '2025-07-01';
const day2 = '2025-07-02';

async function markers(table: 'users' | 'viewing_sessions'): Promise<Map<string, string>> {
  const key = table === 'users' ? 'user_id' : 'session_id';
  const result = await pool.query<{ key: string; seq: string }>(
    `SELECT ${key}::text AS key, _change_seq::text AS seq FROM public.${table}`,
  );
  return new Map(result.rows.map((row) => [row.key, row.seq]));
}

async function failure(promise: Promise<unknown>): Promise<ReelhouseError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ReelhouseError);
  return error as ReelhouseError;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await createPostgresTables(pool);
  await createMongoCollections(mongo.db);
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  data = await createDataDir();
  await pool.query(
    'TRUNCATE public.users, public.viewing_sessions, public._deletes, public._applied_batches, public.load_rejects',
  );
  for (const name of ['content', '_deletes', '_applied_batches', 'content_rejects'])
    await mongo.db.collection(name).deleteMany({});
  await writeBaseBatch(data.dir, { users, sessions, documents });
  await writeDayBatch(data.dir, {
    day: day1,
    previousDay: '2025-06-30',
    batch: {
      users: [userRow(2, { plan: 'premium', updated_at: '2025-07-01T09:00:00.000Z' }), userRow(11)],
      sessions: [sessionRow(21), sessionRow(3, { watch_duration_s: '60', position_end_s: '60' })],
      documents: [movieDocument(2, { title: 'Renamed', updated_at: '2025-07-01T10:00:00.000Z' })],
      deletes: {
        users: [fixtureUuid('a', 4)],
        viewing_sessions: [fixtureUuid('b', 5)],
        content: ['mov_5'],
      },
    },
  });
  await writeDayBatch(data.dir, {
    day: day2,
    previousDay: day1,
    batch: { users: [userRow(12)], sessions: [sessionRow(22)], documents: [movieDocument(6)] },
  });
});

afterEach(async () => {
  await data.remove();
});

describe('applying batches to PostgreSQL', () => {
  it('stamps every written row with the source change markers, never from the file', async () => {
    await applyPostgresBatches(pool, { dataDir: data.dir });
    const rows = await pool.query<{ seq: string | null; at: Date | null; xid: string | null }>(
      'SELECT _change_seq::text AS seq, _changed_at AS at, _change_xid::text AS xid FROM public.users',
    );
    expect(rows.rows).toHaveLength(10);
    for (const row of rows.rows) {
      expect(row.seq).not.toBeNull();
      expect(row.at).not.toBeNull();
      expect(row.xid).not.toBeNull();
    }
    // A writer cannot choose the marker: the trigger overwrites it.
    await pool.query(
      `UPDATE public.users SET _change_seq = 1, city = 'Elsewhere' WHERE user_id = $1`,
      [fixtureUuid('a', 1)],
    );
    const after = await markers('users');
    expect(Number(after.get(fixtureUuid('a', 1)))).toBeGreaterThan(30);
  });

  it('upserts and deletes each day once, in order, leaving tombstones; a rerun changes nothing', async () => {
    await applyPostgresBatches(pool, { dataDir: data.dir, through: day2 });
    const usersAfter = await markers('users');
    expect(usersAfter.has(fixtureUuid('a', 4))).toBe(false);
    expect(usersAfter.has(fixtureUuid('a', 11))).toBe(true);
    expect(usersAfter.has(fixtureUuid('a', 12))).toBe(true);
    const plan = await pool.query<{ plan: string }>(
      'SELECT plan FROM public.users WHERE user_id = $1',
      [fixtureUuid('a', 2)],
    );
    expect(plan.rows[0]?.plan).toBe('premium');
    const watch = await pool.query<{ watch: number }>(
      'SELECT watch_duration_s AS watch FROM public.viewing_sessions WHERE session_id = $1',
      [fixtureUuid('b', 3)],
    );
    expect(watch.rows[0]?.watch).toBe(60);
    const tombstones = await pool.query<{ stream: string; key: string }>(
      'SELECT stream, key FROM public._deletes ORDER BY stream',
    );
    expect(tombstones.rows).toEqual([
      { stream: 'users', key: fixtureUuid('a', 4) },
      { stream: 'viewing_sessions', key: fixtureUuid('b', 5) },
    ]);
    const ledger = await pool.query<{ batch: string }>(
      'SELECT batch FROM public._applied_batches ORDER BY batch',
    );
    expect(ledger.rows.map((r) => r.batch)).toEqual([day1, day2, 'base']);
    const sessionsAfter = await markers('viewing_sessions');
    // Rerunning, with or without a logical date, reapplies nothing (the base would revert day 1).
    await applyPostgresBatches(pool, { dataDir: data.dir, through: day2 });
    await applyPostgresBatches(pool, { dataDir: data.dir });
    expect(await markers('users')).toEqual(usersAfter);
    expect(await markers('viewing_sessions')).toEqual(sessionsAfter);
    expect((await pool.query('SELECT 1 FROM public._deletes')).rowCount).toBe(2);
  });

  it('refuses a day whose previous day is not applied, and changes nothing', async () => {
    await applyPostgresBatches(pool, { dataDir: data.dir });
    const before = await markers('users');
    const error = await failure(applyPostgresDayBatch(pool, { dataDir: data.dir, day: day2 }));
    expect(error.message).toContain(`day batch ${day2} cannot be applied before day ${day1}`);
    expect(await markers('users')).toEqual(before);
    await pool.query('TRUNCATE public._applied_batches');
    const early = await failure(applyPostgresDayBatch(pool, { dataDir: data.dir, day: day1 }));
    expect(early.message).toContain('cannot be applied before the base data set');
  });

  it('names a missing day batch instead of skipping it', async () => {
    const error = await failure(
      applyPostgresBatches(pool, { dataDir: data.dir, through: '2025-07-03' }),
    );
    expect(error.message).toContain('no day batch for 2025-07-03');
  });
});

describe('applying batches to MongoDB', () => {
  async function seqs(): Promise<Map<string, number>> {
    const docs = await mongo.db
      .collection<{ _id: string; _change_seq: number }>('content')
      .find({}, { projection: { _change_seq: 1 } })
      .toArray();
    return new Map(docs.map((d) => [d._id, Number(d._change_seq)]));
  }

  it('stamps loader-maintained markers, upserts and deletes with tombstones, once and in order', async () => {
    await applyMongoBatches(mongo.db, { dataDir: data.dir });
    const base = await seqs();
    expect([...base.keys()].sort()).toEqual(['mov_1', 'mov_2', 'mov_3', 'mov_4', 'mov_5']);
    expect(new Set(base.values()).size).toBe(5);
    const refused = await failure(applyMongoDayBatch(mongo.db, { dataDir: data.dir, day: day2 }));
    expect(refused.message).toContain(`cannot be applied before day ${day1}`);
    await applyMongoBatches(mongo.db, { dataDir: data.dir, through: day2 });
    const after = await seqs();
    expect(after.has('mov_5')).toBe(false);
    expect(after.get('mov_1')).toBe(base.get('mov_1'));
    expect(after.get('mov_2')).toBeGreaterThan(Math.max(...base.values()));
    expect(after.get('mov_6')).toBeGreaterThan(after.get('mov_2') ?? 0);
    const tombstones = await mongo.db
      .collection('_deletes')
      .find({}, { projection: { _id: 0, stream: 1, key: 1 } })
      .toArray();
    expect(tombstones).toEqual([{ stream: 'content', key: 'mov_5' }]);
    await applyMongoBatches(mongo.db, { dataDir: data.dir, through: day2 });
    await applyMongoBatches(mongo.db, { dataDir: data.dir });
    expect(await seqs()).toEqual(after);
    expect(await mongo.db.collection('_deletes').countDocuments()).toBe(1);
  });
});
