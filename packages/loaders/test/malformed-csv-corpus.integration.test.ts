import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';

import { createPostgresTables, loadCsvsToPostgres } from '../src/index.ts';
import { csvCorpus, goodSessions, goodUsers } from './fixtures/csv-corpus.ts';
import { createDataDir, fileText, sessionsCsv, usersCsv } from './fixtures/source-rows.ts';

// One database for the whole corpus, reset between cases.
const database = usePostgresDatabase('loaders_csv_corpus');
let pool: pg.Pool;
let data: Awaited<ReturnType<typeof createDataDir>>;
// Fixed, so "the future" does not move with the wall clock.
const now = new Date('2026-01-01T00:00:00.000Z');

async function snapshot(): Promise<{ users: unknown[]; sessions: unknown[] }> {
  const rows = async (table: string, key: string) =>
    (
      await pool.query<{ row: unknown }>(
        `SELECT to_jsonb(t) AS row FROM public.${table} t ORDER BY ${key}`,
      )
    ).rows;
  return {
    users: await rows('users', 'user_id'),
    sessions: await rows('viewing_sessions', 'session_id'),
  };
}

async function quarantined(): Promise<[string, number, string, string][]> {
  const { rows } = await pool.query<{
    file: string;
    line: number;
    error_code: string;
    reason: string;
  }>('SELECT file, line, error_code, reason FROM public.load_rejects ORDER BY file, line');
  return rows.map((r) => [r.file, r.line, r.error_code, r.reason]);
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
  await data.write('users.csv', fileText(usersCsv(goodUsers)));
  await data.write('viewing_sessions.csv', fileText(sessionsCsv(goodSessions)));
});

afterEach(async () => {
  await data.remove();
});

describe('malformed CSV corpus (issue 16)', () => {
  it('covers every area with at least 40 cases between the CSV and content corpora', () => {
    expect(new Set(csvCorpus.map((c) => c.area))).toEqual(
      new Set(['csv', 'encoding', 'structure', 'values', 'references']),
    );
    expect(csvCorpus.length).toBeGreaterThanOrEqual(35);
  });

  it.each(csvCorpus.map((c) => [c.area, c.name, c] as const))('%s: %s', async (_area, _name, c) => {
    if (c.error !== null) {
      // A failed load must leave what an earlier good load put in the tables.
      await loadCsvsToPostgres(pool, { dataDir: data.dir, now });
    }
    const before = await snapshot();
    if (c.users !== undefined) await data.write('users.csv', c.users);
    if (c.sessions !== undefined) await data.write('viewing_sessions.csv', c.sessions);
    const outcome: unknown = await loadCsvsToPostgres(pool, {
      dataDir: data.dir,
      now,
      ...c.options,
    }).then(
      (report) => report,
      (error: unknown) => error,
    );
    if (c.error === null) {
      expect(outcome).not.toBeInstanceOf(Error);
      expect(outcome).toMatchObject({ rowsRejected: c.quarantined.length });
      if (c.warning !== undefined)
        expect((outcome as { warnings: string[] }).warnings).toContain(c.warning);
    } else {
      expect(outcome).toBeInstanceOf(ReelhouseError);
      expect(outcome).toMatchObject({ code: c.error.code });
      expect((outcome as ReelhouseError).message).toContain(c.error.message);
      expect(await snapshot()).toEqual(before);
    }
    const after = await snapshot();
    expect({ users: after.users.length, sessions: after.sessions.length }).toEqual(c.loaded);
    const rejects = await quarantined();
    expect(rejects.map(([file, line, code]) => [file, line, code])).toEqual(
      c.quarantined.map(([file, line, code]) => [file, line, code]),
    );
    for (const [index, [, , , reason]] of c.quarantined.entries())
      expect(rejects[index]?.[3]).toContain(reason);
  });
});
