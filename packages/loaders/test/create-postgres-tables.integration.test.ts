import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { userColumns, viewingSessionColumns } from '@reelhouse/contracts';
import { usePostgresDatabase } from '@reelhouse/services/testing';

import { changeMarkerColumns, createPostgresTables } from '../src/index.ts';
import { postgresMigrations } from '../src/postgres-migrations.ts';
import { fixtureUuid } from './fixtures/source-rows.ts';

const database = usePostgresDatabase('loaders_ddl');
let pool: pg.Pool;

async function columns(table: string): Promise<string[]> {
  const result = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return result.rows.map((row) => row.column_name);
}

async function indexes(): Promise<string[]> {
  const result = await pool.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
  );
  return result.rows.map((row) => row.indexname);
}

beforeAll(() => {
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

describe('createPostgresTables', () => {
  it('migrates an older layout in place, keeping its rows, then reruns as a no-op', async () => {
    // The first released layout (version 1: a bare rejects table, no cursor indexes), from before the version table.
    for (const statement of postgresMigrations[0]!.statements) await pool.query(statement);
    // ...whose price check still had the first contract's range.
    await pool.query(
      'ALTER TABLE public.users DROP CONSTRAINT users_monthly_price_cents_check, ADD CONSTRAINT users_monthly_price_cents_check CHECK (monthly_price_cents BETWEEN 1 AND 9999)',
    );
    await pool.query(
      `INSERT INTO public.load_rejects (file, line, raw_text, reason) VALUES ('users.csv', 7, 'x', 'old reject')`,
    );
    await pool.query(
      `INSERT INTO public.viewing_sessions VALUES ($1, $2, 'mov_1', '2024-05-01T20:00:00Z', '2024-05-01T21:00:00Z', 3600, 0, 3600, 'smart_tv', 'tizen', '8.1.0', 'US', 'HD', 3000, 1350000000, 800, 0, 0, 'completed', false, '2024-05-01T21:00:00Z')`,
      [fixtureUuid('b', 1), fixtureUuid('a', 1)],
    );

    const report = await createPostgresTables(pool);
    expect(report).toMatchObject({
      step: 'create_postgres_tables',
      warnings: [],
      details: {
        fromVersion: 0,
        toVersion: 4,
        applied: [
          '1_source_tables',
          '2_reject_details_and_cursor_indexes',
          '3_price_in_local_minor_units',
          '4_change_markers_tombstones_and_batch_ledger',
        ],
      },
    });
    expect(await columns('users')).toEqual([...userColumns, ...changeMarkerColumns]);
    expect(await columns('load_rejects')).toEqual([
      'id',
      'file',
      'line',
      'raw_text',
      'reason',
      'rejected_at',
      'load_id',
      'gate',
      'error_code',
      'field',
    ]);
    const kept = await pool.query(
      'SELECT file, line, reason, load_id, gate, error_code, field FROM public.load_rejects',
    );
    expect(kept.rows).toEqual([
      {
        file: 'users.csv',
        line: 7,
        reason: 'old reject',
        load_id: 'before_v2',
        gate: 'parse',
        error_code: 'unknown',
        field: null,
      },
    ]);
    expect(
      (await pool.query('SELECT count(*)::int AS n FROM public.viewing_sessions')).rows,
    ).toEqual([{ n: 1 }]);
    // The row written before the markers existed got its markers from the migration.
    expect(
      (
        await pool.query(
          'SELECT count(*)::int AS n FROM public.viewing_sessions WHERE _change_seq IS NOT NULL AND _changed_at IS NOT NULL AND _change_xid IS NOT NULL',
        )
      ).rows,
    ).toEqual([{ n: 1 }]);
    expect(await indexes()).toEqual([
      '_applied_batches_pkey',
      '_deletes_change_xid_idx',
      '_deletes_stream_key_idx',
      'load_rejects_file_line_idx',
      'load_rejects_pkey',
      'loaders_schema_version_pkey',
      'users_change_xid_idx',
      'users_changed_at_idx',
      'users_pkey',
      'users_updated_at_idx',
      'viewing_sessions_change_xid_idx',
      'viewing_sessions_changed_at_idx',
      'viewing_sessions_pkey',
      'viewing_sessions_updated_at_idx',
    ]);

    const price = await pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'users_monthly_price_cents_check'`,
    );
    expect(price.rows).toEqual([
      { definition: 'CHECK (((monthly_price_cents >= 1) AND (monthly_price_cents <= 9999999)))' },
    ]);

    const rerun = await createPostgresTables(pool);
    expect(rerun.details).toEqual({ fromVersion: 4, toVersion: 4, applied: [] });
  });

  it('creates typed source tables in contract column order whose checks mirror the contract', async () => {
    await pool.query(
      'DROP TABLE public.users, public.viewing_sessions, public.load_rejects, public.loaders_schema_version',
    );
    await createPostgresTables(pool);
    expect(await columns('viewing_sessions')).toEqual([
      ...viewingSessionColumns,
      ...changeMarkerColumns,
    ]);
    const types = await pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name IN ('user_id', 'birth_year', 'country_code', 'signup_ts', 'marketing_opt_in') ORDER BY ordinal_position`,
    );
    expect(types.rows).toEqual([
      { column_name: 'user_id', data_type: 'uuid', is_nullable: 'NO' },
      { column_name: 'birth_year', data_type: 'smallint', is_nullable: 'YES' },
      { column_name: 'country_code', data_type: 'character', is_nullable: 'NO' },
      { column_name: 'signup_ts', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'marketing_opt_in', data_type: 'boolean', is_nullable: 'NO' },
    ]);
    const insert = (status: string, cancelledAt: string | null) =>
      pool.query(
        `INSERT INTO public.users VALUES ($1, 'a@example.com', 'A', 'B', NULL, NULL, 'US', NULL, 'en-US', '2024-01-01T00:00:00Z', 'standard', 999, 'USD', $2, $3, 'organic', true, '2024-01-01T00:00:00Z')`,
        [fixtureUuid('a', 1), status, cancelledAt],
      );
    await expect(insert('cancelled', null)).rejects.toThrow('users_cancelled_at_iff_cancelled');
    await expect(insert('frozen', null)).rejects.toThrow('users_subscription_status_check');
    await expect(insert('active', null)).resolves.toMatchObject({ rowCount: 1 });
  });
});
