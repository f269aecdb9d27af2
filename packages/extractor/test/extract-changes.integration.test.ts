import { ReelhouseError, createMemoryLogger } from '@reelhouse/core';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extractToWarehouse, readSourceVersions, type ExtractOptions } from '../src/index.ts';
import { movie, stamped, type StoredDocument } from './content-fixture.ts';
import { endPools } from './end-pools.ts';
import {
  countRows,
  createSourceTables,
  fixtureUuid,
  insertSessions,
  insertUsers,
} from './source-fixture.ts';

const sourceDb = usePostgresDatabase('extract_changes_src');
const warehouseDb = usePostgresDatabase('extract_changes_dw');
const mongo = useMongoDatabase('extract_changes');
let source: pg.Pool;
let warehouse: pg.Pool;

const user = (n: number) => fixtureUuid(1, n);
const session = (n: number) => fixtureUuid(2, n);

function extract(options: Partial<ExtractOptions> = {}) {
  return extractToWarehouse({ source, warehouse, mongo: mongo.db, ...options });
}

/** The current rows of a table as (key, change sequence) pairs, in key order. */
async function versions(pool: pg.Pool, table: string, key: string): Promise<string[]> {
  const result = await pool.query<{ v: string }>(
    `select ${key}::text || '@' || _change_seq as v from ${table} order by ${key}`,
  );
  return result.rows.map((row) => row.v);
}

beforeAll(async () => {
  source = createPool({ url: sourceDb.url });
  warehouse = createPool({ url: warehouseDb.url });
  await createSourceTables(source);
  await insertUsers(source, { from: 1, to: 20, updatedAt: `'2025-03-01T10:00:00Z'` });
  await insertSessions(source, { from: 1, to: 50, updatedAt: `'2025-03-01T11:00:00Z'` });
  await mongo.db
    .collection<StoredDocument>('content')
    .insertMany([1, 2, 3].map((n) => stamped(movie(n, new Date('2025-03-01T00:00:00Z')))));
  await extract();
});

afterAll(async () => {
  await endPools([source, warehouse]);
});

describe('extractToWarehouse under change', () => {
  it('rebuilds the history indexes the first load set aside', async () => {
    const indexes = await warehouse.query<{ name: string }>(
      `select indexname as name from pg_indexes where schemaname = 'raw'
         and tablename in ('users__history', 'viewing_sessions__history') order by 1`,
    );
    expect(indexes.rows.map((row) => row.name)).toEqual([
      'users__history__cancelled_at_idx',
      'users__history__extracted_at_idx',
      'users__history__signup_ts_idx',
      'users__history_user_id__change_seq_key',
      'viewing_sessions__history__extracted_at_idx',
      'viewing_sessions__history__started_at_idx',
      'viewing_sessions__history_session_id__change_seq_key',
    ]);
  });

  it('extracts a change committed after a later one was extracted, though its sequence number is lower', async () => {
    const early = await source.connect();
    try {
      // T1 takes its sequence number first but commits last.
      await early.query('begin');
      await early.query(`update public.users set city = 'Late Town' where user_id = $1`, [user(1)]);
      await source.query(`update public.users set city = 'Quick Town' where user_id = $1`, [
        user(2),
      ]);
      const first = await extract({ streams: ['users'] });
      expect(first.streams[0]?.rowsUpdated).toBe(1);
      await early.query('commit');
    } finally {
      early.release();
    }
    const seqs = await source.query<{ city: string; seq: string }>(
      `select city, _change_seq::text as seq from public.users where user_id = any($1::uuid[]) order by _change_seq`,
      [[user(1), user(2)]],
    );
    // The late change really has the lower marker: a "highest marker seen" cursor would skip it.
    expect(seqs.rows.map((row) => row.city)).toEqual(['Late Town', 'Quick Town']);

    const second = await extract({ streams: ['users'] });

    expect(second.streams[0]?.rowsUpdated).toBe(1);
    const city = await warehouse.query<{ city: string }>(
      'select city from raw.users where user_id = $1',
      [user(1)],
    );
    expect(city.rows).toEqual([{ city: 'Late Town' }]);
    expect(await versions(warehouse, 'raw.users', 'user_id')).toEqual(
      await versions(source, 'public.users', 'user_id'),
    );
  });

  it('propagates deletes to raw through tombstones, counts them as a change, and keeps history append-only', async () => {
    const before = await readSourceVersions(warehouse);
    const historyBefore = await warehouse.query(
      'select session_id, _change_seq, _op, watch_duration_s from raw.viewing_sessions__history order by session_id, _change_seq',
    );
    await source.query(
      `update public.viewing_sessions set watch_duration_s = 61 where session_id = $1`,
      [session(3)],
    );
    await source.query('delete from public.viewing_sessions where session_id = any($1::uuid[])', [
      [session(4), session(5)],
    ]);

    const report = await extract({ streams: ['viewing_sessions'] });

    expect(report.streams.map((s) => [s.rowsUpdated, s.rowsDeleted])).toEqual([[1, 2]]);
    expect(await countRows(warehouse, 'raw.viewing_sessions')).toBe(48);
    expect(await versions(warehouse, 'raw.viewing_sessions', 'session_id')).toEqual(
      await versions(source, 'public.viewing_sessions', 'session_id'),
    );
    const after = await readSourceVersions(warehouse);
    expect(after['raw.viewing_sessions']).toBe(report.streams[0]?.loadId);
    expect(after['raw.users']).toBe(before['raw.users']);
    // Every earlier history row is still there, unchanged; the new versions are appended.
    const historyAfter = await warehouse.query(
      'select session_id, _change_seq, _op, watch_duration_s from raw.viewing_sessions__history order by session_id, _change_seq',
    );
    expect(historyAfter.rows).toEqual(expect.arrayContaining(historyBefore.rows));
    expect(historyAfter.rows.length).toBe(historyBefore.rows.length + 3);
    const ops = await warehouse.query(
      `select session_id::text as id, _op, watch_duration_s from raw.viewing_sessions__history where session_id = any($1::uuid[]) order by session_id, _change_seq`,
      [[session(3), session(4)]],
    );
    expect(ops.rows).toEqual([
      { id: session(3), _op: 'upsert', watch_duration_s: 1800 },
      { id: session(3), _op: 'upsert', watch_duration_s: 61 },
      { id: session(4), _op: 'upsert', watch_duration_s: 1800 },
      { id: session(4), _op: 'delete', watch_duration_s: null },
    ]);
    // A rerun reads nothing new and changes nothing.
    const rerun = await extract({ streams: ['viewing_sessions'] });
    expect(rerun.streams.map((s) => [s.rowsExtracted, s.rowsUpdated, s.rowsDeleted])).toEqual([
      [0, 0, 0],
    ]);
  });

  it('erases a deleted user: gone from raw.users, personal columns nulled in every history row', async () => {
    await source.query(`update public.users set plan = 'premium' where user_id = $1`, [user(7)]);
    await extract({ streams: ['users'] });
    await source.query('delete from public.users where user_id = $1', [user(7)]);

    await extract({ streams: ['users'] });

    expect(await countRows(warehouse, 'raw.users')).toBe(19);
    const history = await warehouse.query(
      `select _op, email, first_name, last_name, city, birth_year, plan from raw.users__history where user_id = $1 order by _change_seq`,
      [user(7)],
    );
    expect(history.rows).toEqual([
      {
        _op: 'upsert',
        email: null,
        first_name: null,
        last_name: null,
        city: null,
        birth_year: null,
        plan: 'standard',
      },
      {
        _op: 'upsert',
        email: null,
        first_name: null,
        last_name: null,
        city: null,
        birth_year: null,
        plan: 'premium',
      },
      {
        _op: 'delete',
        email: null,
        first_name: null,
        last_name: null,
        city: null,
        birth_year: null,
        plan: null,
      },
    ]);
    const others = await warehouse.query(
      `select count(*)::int as n from raw.users__history where email is null`,
    );
    expect(others.rows).toEqual([{ n: 3 }]);
  });

  it('fails the load when raw no longer matches its source, naming the stream and the difference', async () => {
    await warehouse.query('delete from raw.users where user_id = $1', [user(9)]);
    const state = await warehouse.query(
      `select cursor_value from raw._state where stream = 'users'`,
    );

    const failure = await extract({ streams: ['users'] }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ReelhouseError);
    expect(failure).toMatchObject({
      code: 'data_test_failed',
      context: { stream: 'users', sourceRows: 19, rawRows: 18 },
    });
    expect((failure as Error).message).toMatch(
      /^stream users: reconciliation failed: public\.users has 19 rows, raw\.users has 18 \(1 missing in raw\)/,
    );
    expect(
      await warehouse.query(`select cursor_value from raw._state where stream = 'users'`),
    ).toMatchObject({ rows: state.rows });
    // A tampered version (same count) is caught by the checksum.
    await extract({ streams: ['users'], fullRefresh: true });
    await warehouse.query(
      'update raw.users set _change_seq = _change_seq + 1000 where user_id = $1',
      [user(10)],
    );
    const tampered = await extract({ streams: ['users'] }).catch((error: unknown) => error);
    expect((tampered as Error).message).toMatch(
      /^stream users: reconciliation failed: same row count \(19\) but a different checksum/,
    );
    await extract({ streams: ['users'], fullRefresh: true });
  });

  it.each(['indexed', 'single_pass'] as const)(
    'reads catalogue changes with the %s plan: the same raw, reconciled, and the cursor moves on',
    async (contentReadPlan) => {
      const content = mongo.db.collection<StoredDocument>('content');
      // The index the indexed plan reads the markers from, as the source's set-up creates it.
      await content.createIndex({ _change_seq: 1, _id: 1 }, { name: '_change_seq_1__id_1' });
      const title = `Edited by ${contentReadPlan}`;
      await content.replaceOne(
        { _id: 'mov_1' },
        stamped({ ...movie(1, new Date('2025-03-03T00:00:00Z')), title }),
      );
      const first = await extract({ streams: ['content'], contentReadPlan });
      expect(first.streams.map((s) => [s.status, s.rowsExtracted, s.warnings])).toEqual([
        ['succeeded', 1, []],
      ]);
      const stored = await warehouse.query<{ title: string; seq: string }>(
        `select title, _change_seq::text as seq from raw.content where content_id = 'mov_1'`,
      );
      const inSource = await content.findOne({ _id: 'mov_1' });
      expect(stored.rows).toEqual([{ title, seq: String(inSource?.['_change_seq']) }]);
      // Nothing changed since: nothing is read again.
      const second = await extract({ streams: ['content'], contentReadPlan });
      expect(second.streams.map((s) => [s.status, s.rowsExtracted])).toEqual([['succeeded', 0]]);
    },
  );

  it('tells FerretDB apart and reads it in one pass, saying why', async () => {
    const logger = createMemoryLogger();
    await extract({ streams: ['content'], logger });
    expect(
      logger.records
        .filter((record) => record.fields['server'] !== undefined)
        .map((record) => [record.fields['server'], record.message]),
    ).toEqual([
      [
        expect.stringMatching(/^FerretDB v1\./),
        expect.stringMatching(/^stream content: FerretDB decodes every document for any query/),
      ],
    ]);
  });

  it('propagates a catalogue delete from its MongoDB tombstone, with the document and its child rows', async () => {
    const content = mongo.db.collection<StoredDocument>('content');
    await content.deleteOne({ _id: 'mov_2' });
    await mongo.db
      .collection('_deletes')
      .insertOne({ ...stamped({ stream: 'content', key: 'mov_2' }) });
    await content.replaceOne(
      { _id: 'mov_3' },
      stamped({ ...movie(3, new Date('2025-03-02T00:00:00Z')), title: 'Edited' }),
    );

    const report = await extract({ streams: ['content'] });

    expect(report.streams.map((s) => [s.rowsExtracted, s.rowsUpdated, s.rowsDeleted])).toEqual([
      [1, 1, 1],
    ]);
    const ids = await warehouse.query<{ id: string }>(
      'select content_id as id from raw.content order by 1',
    );
    expect(ids.rows.map((row) => row.id)).toEqual(['mov_1', 'mov_3']);
    expect(await countRows(warehouse, `raw.content__cast where _root_id = 'mov_2'`)).toBe(0);
    const history = await warehouse.query(
      `select content_id, _op, _doc->>'title' as title from raw.content__history where content_id in ('mov_2', 'mov_3') order by content_id, _change_seq`,
    );
    expect(history.rows).toEqual([
      { content_id: 'mov_2', _op: 'upsert', title: 'Title 2' },
      { content_id: 'mov_2', _op: 'delete', title: null },
      { content_id: 'mov_3', _op: 'upsert', title: 'Title 3' },
      { content_id: 'mov_3', _op: 'upsert', title: 'Edited' },
    ]);
  });
});
