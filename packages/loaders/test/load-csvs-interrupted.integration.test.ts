import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';

import { createPostgresTables, loadCsvsToPostgres } from '../src/index.ts';
import {
  createDataDir,
  fileText,
  sessionRow,
  sessionsCsv,
  userRow,
  usersCsv,
} from './fixtures/source-rows.ts';

const database = usePostgresDatabase('loaders_interrupted');
let pool: pg.Pool;
let data: Awaited<ReturnType<typeof createDataDir>>;

const sessionLines = sessionsCsv(Array.from({ length: 2_000 }, (_, n) => sessionRow(n + 1)));

async function sessionsTable(): Promise<unknown[]> {
  const result = await pool.query<{ row: unknown }>(
    'SELECT to_jsonb(s) AS row FROM public.viewing_sessions s ORDER BY session_id',
  );
  return result.rows.map((r) => r.row);
}

async function copyInProgress(): Promise<number> {
  for (let attempt = 0; attempt < 800; attempt += 1) {
    const active = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY %viewing_sessions%' AND state = 'active'`,
    );
    const pid = active.rows[0]?.pid;
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the loader never started its COPY');
}

/** COPY statements still running in this database, polled for up to 5 s: a cancelled backend takes a moment to end. */
async function copiesStillRunning(): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const running = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY %' AND state <> 'idle' AND pid <> pg_backend_pid()`,
    );
    const n = running.rows[0]?.n ?? 0;
    if (n === 0 || Date.now() >= deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Serves `viewing_sessions.csv` through a named pipe: the first half is written, `interrupt` runs
 * while the loader's COPY is open and waiting for more, then the rest is written.
 */
async function loadThroughPipe(options: {
  signal?: AbortSignal;
  interrupt: (copyPid: number) => Promise<void>;
}): Promise<unknown> {
  const pipe = join(data.dir, 'viewing_sessions.csv');
  execFileSync('mkfifo', [pipe]);
  const load = loadCsvsToPostgres(pool, {
    dataDir: data.dir,
    readChunkBytes: 16_384,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  const writer = await open(pipe, 'w');
  try {
    await writer.write(fileText(sessionLines.slice(0, 1_000)));
    await options.interrupt(await copyInProgress());
    await writer.write(fileText(sessionLines.slice(1_000))).catch(() => undefined);
  } finally {
    await writer.close().catch(() => undefined);
  }
  return load;
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
  await data.write('users.csv', fileText(usersCsv([userRow(1), userRow(2)])));
});

afterEach(async () => {
  await data.remove();
});

describe('an interrupted CSV load', () => {
  it('stops when its AbortSignal fires mid-stream and leaves the table as it was', async () => {
    const controller = new AbortController();
    const error = await loadThroughPipe({
      signal: controller.signal,
      interrupt: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    expect(error).toBeInstanceOf(ReelhouseError);
    expect(error).toMatchObject({ code: 'aborted', context: { file: 'viewing_sessions.csv' } });
    expect(await sessionsTable()).toEqual([]);
    expect(await copiesStillRunning()).toBe(0);
  });

  it('leaves the table as it was when its connection is killed mid-stream', async () => {
    await data.write(
      'viewing_sessions.csv',
      fileText(sessionsCsv([sessionRow(1), sessionRow(5_000)])),
    );
    await loadCsvsToPostgres(pool, { dataDir: data.dir });
    const before = await sessionsTable();
    await data.remove();
    data = await createDataDir();
    await data.write('users.csv', fileText(usersCsv([userRow(1), userRow(2)])));
    const error = await loadThroughPipe({
      interrupt: async (pid) => {
        await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    });
    expect(error).toBeInstanceOf(ReelhouseError);
    expect((error as ReelhouseError).context).toMatchObject({ file: 'viewing_sessions.csv' });
    expect(await sessionsTable()).toEqual(before);
    expect(before).toHaveLength(2);
  });
});
