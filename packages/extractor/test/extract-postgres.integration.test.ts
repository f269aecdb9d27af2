import { createMemoryLogger, ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase, useMongoDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extractToWarehouse, type ExtractOptions } from '../src/index.ts';
import { endPools } from './end-pools.ts';
import {
  countRows,
  createSourceTables,
  fixtureUuid,
  insertSessions,
  insertUsers,
} from './source-fixture.ts';
import { waitFor } from './wait-for.ts';

const sourceDb = usePostgresDatabase('extract_pg_src');
const warehouseDb = usePostgresDatabase('extract_pg_dw');
const mongo = useMongoDatabase('extract_pg');
const appName = 'rh_extractor_pg_test';
let source: pg.Pool;
let warehouse: pg.Pool;

const sessionColumns =
  'session_id, user_id, content_id, started_at, ended_at, watch_duration_s, position_start_s, position_end_s, device_type, device_os, app_version, country_code, quality, avg_bitrate_kbps, bytes_transferred, startup_ms, rebuffer_count, rebuffer_ms, exit_reason, is_offline, updated_at';

/** A fingerprint of a table's contract columns, comparable across the two databases. */
async function fingerprint(pool: pg.Pool, table: string): Promise<string> {
  const result = await pool.query<{ md5: string | null }>(
    `select md5(string_agg(t::text, '|' order by t.session_id)) as md5 from (select ${sessionColumns} from ${table}) t`,
  );
  return result.rows[0]?.md5 ?? 'empty';
}

async function cursorOf(stream: string): Promise<string | undefined> {
  const result = await warehouse.query<{ cursor_value: string }>(
    'select cursor_value from raw._state where stream = $1',
    [stream],
  );
  return result.rows[0]?.cursor_value;
}

async function rawSnapshot(): Promise<{ sessions: string; users: number; state: unknown[] }> {
  const state = await warehouse.query(
    'select stream, cursor_value, load_id from raw._state order by stream',
  );
  return {
    sessions: await fingerprint(warehouse, 'raw.viewing_sessions'),
    users: await countRows(warehouse, 'raw.users'),
    state: state.rows,
  };
}

/** The raw table's indexes and key constraints as PostgreSQL would recreate them. */
async function indexDefinitions(table: string): Promise<string[]> {
  const result = await warehouse.query<{ definition: string }>(
    `select pg_get_indexdef(indexrelid) as definition from pg_index where indrelid = $1::regclass
     union all select conname || ': ' || pg_get_constraintdef(oid) from pg_constraint where conrelid = $1::regclass
     order by 1`,
    [table],
  );
  return result.rows.map((row) => row.definition);
}

function extract(options: Partial<ExtractOptions> = {}) {
  return extractToWarehouse({
    source,
    warehouse,
    mongo: mongo.db,
    streams: ['users', 'viewing_sessions'],
    ...options,
  });
}

beforeAll(async () => {
  source = createPool({ url: sourceDb.url, applicationName: appName });
  warehouse = createPool({ url: warehouseDb.url, applicationName: appName });
  await createSourceTables(source);
  // Users: distinct microsecond timestamps. Sessions: the last ten share one cursor value.
  await insertUsers(source, {
    from: 1,
    to: 200,
    updatedAt: `'2025-03-01T10:00:00Z'::timestamptz + n * interval '1 microsecond'`,
  });
  await insertSessions(source, {
    from: 1,
    to: 990,
    updatedAt: `'2025-03-01T11:00:00Z'::timestamptz + n * interval '1 millisecond'`,
  });
  await insertSessions(source, { from: 991, to: 1000, updatedAt: `'2025-03-01T12:00:00.654321Z'` });
});

afterAll(async () => {
  await endPools([source, warehouse]);
});

describe('extractToWarehouse: PostgreSQL streams', () => {
  it('lands every source row with load metadata and the source markers, records the load and saves the snapshot cursor', async () => {
    const report = await extract();

    expect(
      report.streams.map((s) => [
        s.stream,
        s.status,
        s.disposition,
        s.rowsExtracted,
        s.rowsInserted,
        s.rowsUpdated,
      ]),
    ).toEqual([
      ['users', 'succeeded', 'merge', 200, 200, 0],
      ['viewing_sessions', 'succeeded', 'merge', 1000, 1000, 0],
    ]);
    expect(await countRows(warehouse, 'raw.users')).toBe(200);
    expect(await fingerprint(warehouse, 'raw.viewing_sessions')).toBe(
      await fingerprint(source, 'public.viewing_sessions'),
    );
    // The cursor is the source snapshot's oldest running transaction, never a business timestamp.
    expect(JSON.parse((await cursorOf('users')) ?? '{}')).toMatchObject({
      snapshot: expect.stringMatching(/^\d+:\d+:/) as unknown,
    });
    const sessionsCursor = await cursorOf('viewing_sessions');
    const markers = await warehouse.query<{ same: boolean }>(
      `select bool_and(r._change_seq = s._change_seq) as same from raw.viewing_sessions r join (values ${(
        await source.query<{ id: string; seq: string }>(
          'select session_id::text as id, _change_seq::text as seq from public.viewing_sessions',
        )
      ).rows
        .map((row) => `('${row.id}'::uuid, ${row.seq}::bigint)`)
        .join(', ')}) s(session_id, _change_seq) using (session_id)`,
    );
    expect(markers.rows).toEqual([{ same: true }]);
    const sessions = report.streams[1]!;
    const metadata = await warehouse.query(
      'select _load_id, count(*)::int as rows from raw.viewing_sessions group by _load_id',
    );
    expect(metadata.rows).toEqual([{ _load_id: sessions.loadId, rows: 1000 }]);
    const ledger = await warehouse.query(
      'select stream, status, rows_extracted, rows_inserted, cursor_from, cursor_to from raw._loads where load_id = $1',
      [sessions.loadId],
    );
    expect(ledger.rows).toEqual([
      {
        stream: 'viewing_sessions',
        status: 'succeeded',
        rows_extracted: 1000,
        rows_inserted: 1000,
        cursor_from: null,
        cursor_to: sessionsCursor,
      },
    ]);
  });

  it('reads nothing when nothing changed, and writes nothing', async () => {
    const report = await extract();

    expect(
      report.streams.map((s) => [s.stream, s.rowsExtracted, s.rowsInserted, s.rowsUpdated]),
    ).toEqual([
      ['users', 0, 0, 0],
      ['viewing_sessions', 0, 0, 0],
    ]);
    expect(await countRows(warehouse, 'raw.viewing_sessions')).toBe(1000);
  });

  it('picks up late rows sharing the last cursor value, new rows and updated rows, without duplicates', async () => {
    await insertSessions(source, {
      from: 1001,
      to: 1050,
      updatedAt: `'2025-03-01T12:00:00.654321Z'`,
    });
    await insertSessions(source, {
      from: 1051,
      to: 1100,
      updatedAt: `'2025-03-01T12:00:01.000001Z'`,
    });
    await source.query(
      `update public.viewing_sessions set watch_duration_s = 42, updated_at = '2025-03-02T00:00:00.000007Z' where session_id = any($1::uuid[])`,
      [[1, 2, 3, 4, 5].map((n) => fixtureUuid(2, n))],
    );

    const report = await extract({ streams: ['viewing_sessions'] });

    // Business timestamps older than the last load do not matter: the source's markers do.
    expect(report.streams.map((s) => [s.rowsExtracted, s.rowsInserted, s.rowsUpdated])).toEqual([
      [105, 100, 5],
    ]);
    expect(await countRows(warehouse, 'raw.viewing_sessions')).toBe(1100);
    expect(await fingerprint(warehouse, 'raw.viewing_sessions')).toBe(
      await fingerprint(source, 'public.viewing_sessions'),
    );
    const replaced = await warehouse.query(
      'select count(*)::int as rows from raw.viewing_sessions where watch_duration_s = 42 and _load_id = $1',
      [report.streams[0]!.loadId],
    );
    expect(replaced.rows).toEqual([{ rows: 5 }]);
  });

  it('replaces the whole table on a full refresh, dropping rows gone from the source', async () => {
    await source.query('delete from public.viewing_sessions where session_id = any($1::uuid[])', [
      [6, 7, 8].map((n) => fixtureUuid(2, n)),
    ]);

    const indexes = await indexDefinitions('raw.viewing_sessions');

    const report = await extract({ fullRefresh: ['viewing_sessions'] });

    // The indexes are dropped for the COPY and rebuilt after it, in the same transaction.
    expect(await indexDefinitions('raw.viewing_sessions')).toEqual(indexes);
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^viewing_sessions_pkey: PRIMARY KEY \(session_id\)$/),
        expect.stringMatching(/\(_extracted_at\)$/),
      ]),
    );
    expect(
      report.streams.map((s) => [s.stream, s.disposition, s.rowsExtracted, s.rowsInserted]),
    ).toEqual([
      ['users', 'merge', 0, 0],
      ['viewing_sessions', 'replace', 1097, 1097],
    ]);
    expect(await fingerprint(warehouse, 'raw.viewing_sessions')).toBe(
      await fingerprint(source, 'public.viewing_sessions'),
    );
    const ledger = await warehouse.query(
      `select disposition, cursor_from from raw._loads where load_id = $1`,
      [report.streams[1]!.loadId],
    );
    expect(ledger.rows).toEqual([{ disposition: 'replace', cursor_from: null }]);
    // Analyzed in the load: a build right after it plans with the new row counts and the
    // user_id expression index's statistics.
    for (const [table, rows] of [
      ['viewing_sessions', 1097],
      ['viewing_sessions__history', undefined],
    ] as const) {
      const planned = await warehouse.query<{ estimated: number; counted: number }>(
        `select (select reltuples::int from pg_class where oid = $1::regclass) as estimated,
                (select count(*)::int from raw.${table}) as counted`,
        [`raw.${table}`],
      );
      expect(planned.rows[0]!.estimated).toBe(planned.rows[0]!.counted);
      if (rows !== undefined) expect(planned.rows[0]!.counted).toBe(rows);
    }
    const indexStats = await warehouse.query(
      `select 1 from pg_stats where schemaname = 'raw' and tablename = 'viewing_sessions__user_id_idx'`,
    );
    expect(indexStats.rowCount).toBe(1);
  });

  it('fails a full refresh whose source repeats a key, leaving raw and its indexes as they were', async () => {
    const before = await rawSnapshot();
    const indexes = await indexDefinitions('raw.viewing_sessions');
    await source.query('alter table public.viewing_sessions drop constraint viewing_sessions_pkey');
    try {
      await source.query(
        `insert into public.viewing_sessions select * from public.viewing_sessions where session_id = $1`,
        [fixtureUuid(2, 9)],
      );

      const failure = await extract({ streams: ['viewing_sessions'], fullRefresh: true }).catch(
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(ReelhouseError);
      expect(failure).toMatchObject({
        context: { stream: 'viewing_sessions' },
        message: expect.stringMatching(/viewing_sessions_pkey/) as unknown,
      });
      expect(await rawSnapshot()).toEqual(before);
      expect(await indexDefinitions('raw.viewing_sessions')).toEqual(indexes);
    } finally {
      await source.query(
        `delete from public.viewing_sessions a using public.viewing_sessions b
          where a.session_id = b.session_id and a.ctid > b.ctid`,
      );
      // Removing the copy is not a delete of the session: its tombstone goes too.
      await source.query('delete from public._deletes where key = $1', [fixtureUuid(2, 9)]);
      await source.query('alter table public.viewing_sessions add primary key (session_id)');
    }
  });

  it('adds a new source column to raw, loads it and reports it by name', async () => {
    await source.query(
      `alter table public.users add column loyalty_tier text not null default 'gold'`,
    );
    const logger = createMemoryLogger();

    const report = await extract({ streams: ['users'], fullRefresh: true, logger });

    expect(report.warnings).toEqual([
      'stream users: new source column public.users.loyalty_tier (text) added to raw.users and loaded',
    ]);
    expect(logger.records.filter((r) => r.level === 'warn').map((r) => r.message)).toEqual(
      report.warnings,
    );
    const loaded = await warehouse.query(
      'select loyalty_tier, count(*)::int as rows from raw.users group by loyalty_tier',
    );
    expect(loaded.rows).toEqual([{ loyalty_tier: 'gold', rows: 200 }]);
  });

  it('rejects an unknown stream name with invalid_input naming the option', async () => {
    const failure = await extract({ streams: ['users', 'sessions' as 'users'] }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^extractToWarehouse: streams\.1: /) as unknown,
    });
  });

  it('fails with an error naming the stream when the source is unreachable, and records the failed load', async () => {
    const unreachable = createPool({
      url: 'postgres://nobody@127.0.0.1:9/nowhere',
      applicationName: appName,
    });
    const before = await rawSnapshot();
    try {
      const failure = await extractToWarehouse({
        source: unreachable,
        warehouse,
        mongo: mongo.db,
        streams: ['users'],
      }).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ReelhouseError);
      expect(failure).toMatchObject({
        code: 'connection_lost',
        retryable: true,
        context: { stream: 'users', database: 'source' },
      });
      expect((failure as Error).message).toMatch(/^stream users: source PostgreSQL unreachable: /);
      expect(await rawSnapshot()).toEqual(before);
      const ledger = await warehouse.query(
        `select status, error from raw._loads where stream = 'users' order by started_at desc limit 1`,
      );
      expect(ledger.rows[0]).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^connection_lost: stream users: source PostgreSQL unreachable/,
        ) as unknown,
      });
    } finally {
      await unreachable.end();
    }
  });
});

describe('extractToWarehouse: interrupted loads leave raw and its cursor as they were', () => {
  const gatedSession = fixtureUuid(2, 900);

  beforeAll(async () => {
    // The source becomes a view whose COPY stalls on one row midway: the test can interrupt a load while rows flow.
    await source.query('alter table public.viewing_sessions rename to viewing_sessions_base');
    await source.query(`create function public.copy_gate(id uuid) returns boolean language plpgsql as $$
      begin
        if id = '${gatedSession}' and current_query() ilike 'copy%' then perform pg_sleep(60); end if;
        return true;
      end $$`);
    await source.query(
      'create view public.viewing_sessions as select * from public.viewing_sessions_base where public.copy_gate(session_id)',
    );
    // Two changes for the next incremental load, one of them on the gated row so that load stalls too.
    await source.query(
      `update public.viewing_sessions_base set rebuffer_ms = 7, updated_at = '2025-03-03T00:00:00Z' where session_id = $1`,
      [fixtureUuid(2, 10)],
    );
    await source.query(
      `update public.viewing_sessions_base set rebuffer_ms = 9, updated_at = '2025-03-03T00:00:00.5Z' where session_id = $1`,
      [gatedSession],
    );
  });

  async function stalledCopy(pool: pg.Pool, waitEvent: string): Promise<number | undefined> {
    const result = await pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = $1 and datname = current_database() and state = 'active' and query ilike 'copy%' and wait_event = $2`,
      [appName, waitEvent],
    );
    return result.rows[0]?.pid;
  }

  async function busyBackends(pool: pg.Pool): Promise<number> {
    const result = await pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database() and state <> 'idle' and pid <> pg_backend_pid()`,
      [appName],
    );
    return result.rows[0]?.n ?? -1;
  }

  it('rolls back a full refresh aborted through its signal mid-stream and stops the running COPY', async () => {
    const before = await rawSnapshot();
    const controller = new AbortController();
    const running = extract({
      streams: ['viewing_sessions'],
      fullRefresh: true,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await waitFor(async () => (await stalledCopy(source, 'PgSleep')) !== undefined, {
      what: 'the source COPY to stall',
    });

    controller.abort();
    const failure = await running;

    expect(failure).toMatchObject({ code: 'aborted', context: { stream: 'viewing_sessions' } });
    expect(await rawSnapshot()).toEqual(before);
    expect(await busyBackends(source)).toBe(0);
    expect(await busyBackends(warehouse)).toBe(0);
  });

  it('rolls back an incremental load whose warehouse connection is killed mid-stream', async () => {
    const before = await rawSnapshot();
    const running = extract({ streams: ['viewing_sessions'] }).catch((error: unknown) => error);
    await waitFor(async () => (await stalledCopy(source, 'PgSleep')) !== undefined, {
      what: 'the source COPY to stall',
    });
    await waitFor(async () => (await stalledCopy(warehouse, 'ClientRead')) !== undefined, {
      what: 'the warehouse COPY to wait for rows',
    });

    await warehouse.query('select pg_terminate_backend($1)', [
      await stalledCopy(warehouse, 'ClientRead'),
    ]);
    const failure = await running;

    // SQLSTATE 57P01 (terminated by an administrator): core classifies it retryable.
    expect(failure).toMatchObject({
      code: 'service_unavailable',
      retryable: true,
      context: { stream: 'viewing_sessions', sqlState: '57P01' },
    });
    expect(await rawSnapshot()).toEqual(before);
    expect(await busyBackends(source)).toBe(0);
  });

  it('completes correctly on the next run', async () => {
    await source.query(
      `create or replace function public.copy_gate(id uuid) returns boolean language sql as 'select true'`,
    );

    const report = await extract({ streams: ['viewing_sessions'] });

    expect(report.streams.map((s) => [s.rowsInserted, s.rowsUpdated])).toEqual([[0, 2]]);
    expect(await fingerprint(warehouse, 'raw.viewing_sessions')).toBe(
      await fingerprint(source, 'public.viewing_sessions'),
    );
    const failed = await warehouse.query(
      `select error from raw._loads where stream = 'viewing_sessions' and status = 'failed' order by started_at`,
    );
    // Every failed load of this file so far: the repeated key, then the two interruptions.
    expect(failed.rows.map((row: { error: string }) => row.error.split(':')[0])).toEqual([
      'constraint_violation',
      'aborted',
      'service_unavailable',
    ]);
  });
});
