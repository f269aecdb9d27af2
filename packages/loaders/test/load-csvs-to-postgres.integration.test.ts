import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError, silentLogger } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';

import { createPostgresTables, loadCsvsToPostgres } from '../src/index.ts';
import { KeyFingerprintSet } from '../src/key-fingerprint-set.ts';
import { loadCsvFile } from '../src/load-csv-file.ts';
import { viewingSessionsTable } from '../src/viewing-sessions-table.ts';
import {
  createDataDir,
  fileText,
  sessionRow,
  sessionsCsv,
  userRow,
  usersCsv,
} from './fixtures/source-rows.ts';

const database = usePostgresDatabase('loaders_csv');
let pool: pg.Pool;
let data: Awaited<ReturnType<typeof createDataDir>>;

const users = Array.from({ length: 40 }, (_, n) => userRow(n + 1));
const sessions = Array.from({ length: 120 }, (_, n) => sessionRow(n + 1));

async function tableContents(table: 'users' | 'viewing_sessions'): Promise<unknown[]> {
  const key = table === 'users' ? 'user_id' : 'session_id';
  const result = await pool.query<{ row: unknown }>(
    `SELECT to_jsonb(t) AS row FROM public.${table} t ORDER BY ${key}`,
  );
  return result.rows.map((r) => r.row);
}

async function rejects(): Promise<
  { file: string; line: number; gate: string; error_code: string; field: string | null }[]
> {
  const result = await pool.query<{
    file: string;
    line: number;
    gate: string;
    error_code: string;
    field: string | null;
  }>('SELECT file, line, gate, error_code, field FROM public.load_rejects ORDER BY file, line');
  return result.rows;
}

async function loadError(promise: Promise<unknown>): Promise<ReelhouseError> {
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
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  data = await createDataDir();
  await pool.query('TRUNCATE public.users, public.viewing_sessions, public.load_rejects');
  await data.write('users.csv', fileText(usersCsv(users)));
  await data.write('viewing_sessions.csv', fileText(sessionsCsv(sessions)));
});

afterEach(async () => {
  await data.remove();
});

describe('loadCsvsToPostgres', () => {
  it('loads a clean data set with no rejects, every cell typed as the contract reads it', async () => {
    const report = await loadCsvsToPostgres(pool, { dataDir: data.dir });
    expect(report).toMatchObject({
      step: 'load_csvs_to_postgres',
      rowsRead: 160,
      rowsWritten: 160,
      rowsRejected: 0,
      warnings: [],
    });
    const counts = await pool.query(
      'SELECT (SELECT count(*) FROM public.users)::int AS users, (SELECT count(*) FROM public.viewing_sessions)::int AS sessions',
    );
    expect(counts.rows).toEqual([{ users: 40, sessions: 120 }]);
    const sample = await pool.query(
      `SELECT first_name, birth_year, gender, city, cancelled_at, marketing_opt_in FROM public.users WHERE user_id IN ($1, $2, $3) ORDER BY user_id`,
      [userRow(3).user_id, userRow(4).user_id, userRow(5).user_id],
    );
    expect(sample.rows).toEqual([
      {
        first_name: 'First3',
        birth_year: 1953,
        gender: null,
        city: null,
        cancelled_at: null,
        marketing_opt_in: false,
      },
      {
        first_name: 'First4',
        birth_year: null,
        gender: 'female',
        city: 'City 4',
        cancelled_at: null,
        marketing_opt_in: true,
      },
      {
        first_name: 'First5',
        birth_year: 1955,
        gender: 'male',
        city: 'City 5',
        cancelled_at: new Date('2024-02-01T08:30:00.123Z'),
        marketing_opt_in: false,
      },
    ]);
    const exact = await pool.query(
      `SELECT first_name, to_char(cancelled_at AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS cancelled FROM public.users WHERE user_id = $1`,
      [userRow(35).user_id],
    );
    expect(exact.rows).toEqual([{ first_name: 'Zoë, "Jo"', cancelled: '08:30:00.123456' }]);
    expect(await rejects()).toEqual([]);
  });

  it('quarantines every defect class at its gate and line while the other rows load', async () => {
    const good = sessionsCsv(sessions.slice(0, 20));
    const defective = [
      ...good.slice(0, 3),
      `${good[3]},surplus`, // line 4: extra_column
      good[4]!.replace(/,[^,]*$/, ''), // line 5: missing_column
      good[5]!.replace('tizen', '"tizen'), // line 6: unbalanced_quote
      good[6]!.replace('tizen', 'ti\0zen'), // line 7: nul_byte
      `\uFEFF${good[7]}`, // line 8: bom
      `${good[8]}\r`, // line 9: crlf_mix
      good[9]!.replace(',tizen,', ',,'), // line 10: empty_required
      good[10]!.replace(',5800,', ',50,'), // line 11: out_of_range
      good[11]!.replace('20:45:00.500Z,1800', '19:45:00.500Z,1800'), // line 12: end_before_start
      good[12]!.replace('2024-05-01T20:15:00.000Z', '01/05/2024 20:15'), // line 13: bad_date_format
      good[13]!.replace('smart_tv', 'SMART_TV'), // line 14: bad_casing
      good[14]!.replace(',US,', ',XXX,'), // line 15: bad_country_code
      good[15]!.replace(',1800,0,', ',1800.5,0,'), // line 16: wrong_type
      good[2]!, // line 17: exact_duplicate of line 3
      good[1]!.replace('FHD', 'HD'), // line 18: conflicting_duplicate of line 2
      ...good.slice(16),
    ];
    await data.write('viewing_sessions.csv', fileText(defective));
    const report = await loadCsvsToPostgres(pool, { dataDir: data.dir, maxRejectRate: 0.9 });
    expect(await rejects()).toEqual([
      {
        file: 'viewing_sessions.csv',
        line: 4,
        gate: 'parse',
        error_code: 'extra_column',
        field: null,
      },
      {
        file: 'viewing_sessions.csv',
        line: 5,
        gate: 'parse',
        error_code: 'missing_column',
        field: null,
      },
      {
        file: 'viewing_sessions.csv',
        line: 6,
        gate: 'parse',
        error_code: 'unbalanced_quote',
        field: null,
      },
      { file: 'viewing_sessions.csv', line: 7, gate: 'parse', error_code: 'nul_byte', field: null },
      { file: 'viewing_sessions.csv', line: 8, gate: 'parse', error_code: 'bom', field: null },
      { file: 'viewing_sessions.csv', line: 9, gate: 'parse', error_code: 'crlf_mix', field: null },
      {
        file: 'viewing_sessions.csv',
        line: 10,
        gate: 'contract',
        error_code: 'too_small',
        field: 'device_os',
      },
      {
        file: 'viewing_sessions.csv',
        line: 11,
        gate: 'contract',
        error_code: 'custom',
        field: 'avg_bitrate_kbps',
      },
      {
        file: 'viewing_sessions.csv',
        line: 12,
        gate: 'contract',
        error_code: 'custom',
        field: 'ended_at',
      },
      {
        file: 'viewing_sessions.csv',
        line: 13,
        gate: 'contract',
        error_code: 'invalid_format',
        field: 'started_at',
      },
      {
        file: 'viewing_sessions.csv',
        line: 14,
        gate: 'contract',
        error_code: 'invalid_value',
        field: 'device_type',
      },
      {
        file: 'viewing_sessions.csv',
        line: 15,
        gate: 'contract',
        error_code: 'invalid_format',
        field: 'country_code',
      },
      {
        file: 'viewing_sessions.csv',
        line: 16,
        gate: 'contract',
        error_code: 'invalid_format',
        field: 'watch_duration_s',
      },
      {
        file: 'viewing_sessions.csv',
        line: 17,
        gate: 'contract',
        error_code: 'duplicate_key',
        field: 'session_id',
      },
      {
        file: 'viewing_sessions.csv',
        line: 18,
        gate: 'contract',
        error_code: 'duplicate_key',
        field: 'session_id',
      },
    ]);
    const raw = await pool.query<{ raw_text: string; reason: string }>(
      `SELECT raw_text, reason FROM public.load_rejects WHERE line = 17`,
    );
    expect(raw.rows).toEqual([
      {
        raw_text: good[2],
        reason: `session_id ${sessions[1]!.session_id} already loaded from an earlier line`,
      },
    ]);
    const loaded = await pool.query<{ session_id: string; quality: string }>(
      'SELECT session_id, quality FROM public.viewing_sessions ORDER BY session_id',
    );
    expect(loaded.rows.map((row) => row.session_id)).toEqual(
      [...sessions.slice(0, 2), ...sessions.slice(15, 20)].map((row) => row.session_id),
    );
    expect(loaded.rows[0]).toEqual({ session_id: sessions[0]!.session_id, quality: 'FHD' });
    expect(report).toMatchObject({ rowsRead: 40 + 22, rowsWritten: 40 + 7, rowsRejected: 15 });
  });

  it('loads a file written with CRLF endings throughout (the header sets the file ending)', async () => {
    await data.write('users.csv', `${usersCsv(users).join('\r\n')}\r\n`);
    expect(await loadCsvsToPostgres(pool, { dataDir: data.dir })).toMatchObject({
      rowsWritten: 160,
      rowsRejected: 0,
    });
    const names = await pool.query(`SELECT first_name FROM public.users WHERE user_id = $1`, [
      userRow(35).user_id,
    ]);
    expect(names.rows).toEqual([{ first_name: 'Zoë, "Jo"' }]);
  });

  it('settles fingerprint collisions against the table: colliding keys load, only true repeats are rejected', async () => {
    const lines = sessionsCsv(sessions.slice(0, 30));
    await data.write(
      'viewing_sessions.csv',
      fileText([...lines, lines[4]!, lines[9]!.replace('FHD', 'SD')]),
    );
    // One fingerprint bit: nearly every key collides with an earlier one and becomes a suspect.
    const report = await loadCsvFile(pool, {
      dataDir: data.dir,
      spec: viewingSessionsTable,
      loadId: 'collisions',
      maxRejectRate: 0.5,
      readChunkBytes: 4096,
      keys: new KeyFingerprintSet({ fingerprintMask: 0x1 }),
      logger: silentLogger,
    });
    expect(report).toMatchObject({ rowsRead: 32, rowsWritten: 30, rowsRejected: 2 });
    expect(await rejects()).toEqual([
      {
        file: 'viewing_sessions.csv',
        line: 32,
        gate: 'contract',
        error_code: 'duplicate_key',
        field: 'session_id',
      },
      {
        file: 'viewing_sessions.csv',
        line: 33,
        gate: 'contract',
        error_code: 'duplicate_key',
        field: 'session_id',
      },
    ]);
    const loaded = await pool.query<{ session_id: string; quality: string }>(
      'SELECT session_id, quality FROM public.viewing_sessions ORDER BY session_id',
    );
    expect(loaded.rows).toEqual(
      sessions.slice(0, 30).map((row) => ({ session_id: row.session_id, quality: 'FHD' })),
    );
  });

  it('tolerates a byte order mark at the very start of the file', async () => {
    await data.write('users.csv', `\uFEFF${fileText(usersCsv(users))}`);
    const report = await loadCsvsToPostgres(pool, { dataDir: data.dir });
    expect(report).toMatchObject({ rowsWritten: 160, rowsRejected: 0 });
  });

  it('converges: a second load of the same files changes nothing, a changed row is updated', async () => {
    await loadCsvsToPostgres(pool, { dataDir: data.dir });
    const before = {
      users: await tableContents('users'),
      sessions: await tableContents('viewing_sessions'),
    };
    const again = await loadCsvsToPostgres(pool, { dataDir: data.dir });
    expect(again).toMatchObject({ rowsRead: 160, rowsWritten: 0, rowsRejected: 0 });
    expect({
      users: await tableContents('users'),
      sessions: await tableContents('viewing_sessions'),
    }).toEqual(before);
    const changed = sessions.map((row, n) => (n === 7 ? { ...row, quality: 'UHD' as const } : row));
    await data.write('viewing_sessions.csv', fileText(sessionsCsv([...changed, sessionRow(500)])));
    const third = await loadCsvsToPostgres(pool, { dataDir: data.dir });
    expect(third.details?.['load_viewing_sessions']).toMatchObject({
      details: { mode: 'merge', inserted: 1, updated: 1, unchanged: 119 },
    });
    const row = await pool.query(
      'SELECT quality FROM public.viewing_sessions WHERE session_id = $1',
      [sessions[7]!.session_id],
    );
    expect(row.rows).toEqual([{ quality: 'UHD' }]);
  });

  it('fails past the reject threshold, naming the file and its first bad lines, and writes nothing for that file', async () => {
    const lines = sessionsCsv(sessions.slice(0, 10));
    lines[3] = lines[3]!.replace('smart_tv', 'toaster');
    lines[6] = `${lines[6]},x`;
    await data.write('viewing_sessions.csv', fileText(lines));
    const error = await loadError(
      loadCsvsToPostgres(pool, { dataDir: data.dir, maxRejectRate: 0.1 }),
    );
    expect(error.code).toBe('reject_threshold_exceeded');
    expect(error.message).toContain(
      'viewing_sessions.csv: 2 of 10 lines rejected (20.00% > 10.00%)',
    );
    expect(error.message).toContain('line 4 (device_type: Invalid option');
    expect(error.message).toContain('line 7 (has 22 fields, expected 21)');
    expect(error.context).toMatchObject({
      file: 'viewing_sessions.csv',
      firstBadLines: [{ line: 4 }, { line: 7 }],
    });
    // Issue 16: the rejects are kept all the same, and the message says where.
    expect(error.message).toContain(
      "All 2 rejects with their reasons are in public.load_rejects (file 'viewing_sessions.csv'",
    );
    const counts = await pool.query(
      'SELECT (SELECT count(*) FROM public.viewing_sessions)::int AS sessions, (SELECT count(*) FROM public.load_rejects)::int AS rejects',
    );
    expect(counts.rows).toEqual([{ sessions: 0, rejects: 2 }]);
  });

  it.each([
    { fault: 'an empty file', content: '', line: 1, message: 'the file is empty' },
    {
      fault: 'a wrong header',
      content: fileText(['session_id,user_id', 'a,b']),
      line: 1,
      message:
        'the header does not match the contract: missing columns content_id, started_at, ended_at',
    },
    {
      fault: 'binary garbage',
      content: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x03, 0x00]),
      line: 1,
      message: 'the header does not match',
    },
    {
      fault: 'a truncated last line',
      content: sessionsCsv(sessions.slice(0, 5)).join('\n').slice(0, -40),
      line: 6,
      message: 'the file is truncated: its last line has no newline and has 1',
    },
    {
      fault: 'a last line cut inside its last cell',
      content: sessionsCsv(sessions.slice(0, 5)).join('\n').slice(0, -10),
      line: 6,
      message:
        'the file is truncated: its last line has no newline and updated_at: must be an ISO 8601',
    },
  ])(
    'ends with file_malformed naming the file and line for $fault',
    async ({ content, line, message }) => {
      await data.write('viewing_sessions.csv', content);
      const error = await loadError(loadCsvsToPostgres(pool, { dataDir: data.dir }));
      expect(error.code).toBe('file_malformed');
      expect(error.message).toContain(`viewing_sessions.csv line ${line}: ${message}`);
      expect(error.context).toEqual({ file: 'viewing_sessions.csv', line });
      expect(
        (await pool.query('SELECT count(*)::int AS n FROM public.viewing_sessions')).rows,
      ).toEqual([{ n: 0 }]);
    },
  );

  it('issue 16: quarantines a line over the limit with its number and length, and loads the rest', async () => {
    const lines = usersCsv(users);
    lines[4] = lines[4]!.replace('City 4', 'x'.repeat(1_200_000));
    await data.write('users.csv', fileText(lines));
    const report = await loadCsvsToPostgres(pool, { dataDir: data.dir });
    expect(report).toMatchObject({ rowsWritten: 39 + 120, rowsRejected: 1 });
    const [reject] = (
      await pool.query<{ line: number; error_code: string; reason: string; chars: number }>(
        'SELECT line, error_code, reason, length(raw_text) AS chars FROM public.load_rejects',
      )
    ).rows;
    expect(reject).toEqual({
      line: 5,
      error_code: 'line_too_long',
      reason: expect.stringContaining(
        `is ${lines[4].length} characters long, over the limit of 1048576`,
      ) as string,
      chars: 201,
    });
  });

  it('says which columns a wrong header has', async () => {
    await data.write('users.csv', fileText(['user_id,"e-mail",first_name', 'x,y,z']));
    const error = await loadError(loadCsvsToPostgres(pool, { dataDir: data.dir }));
    expect(error.message).toContain('found 3 (user_id,e-mail,first_name)');
    // Issue 16: the names that are missing and extra.
    expect(error.message).toContain('missing columns email, last_name,');
    expect(error.message).toContain('extra column "e-mail"');
  });

  it('accepts a complete last line without a final newline', async () => {
    await data.write('viewing_sessions.csv', sessionsCsv(sessions).join('\n'));
    expect(await loadCsvsToPostgres(pool, { dataDir: data.dir })).toMatchObject({
      rowsWritten: 160,
      rowsRejected: 0,
    });
  });
});
