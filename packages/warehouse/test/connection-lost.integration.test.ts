import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';

import { createPool } from '../src/index.ts';

// Issue 12: a backend terminated during the transform crashed the process with an unhandled
// 'error' event (57P01) from a client Kysely held between two statements of its transaction.
describe('issue 12: a terminated backend', () => {
  const database = usePostgresDatabase('connection_lost');
  const lost: Error[] = [];
  let pool: ReturnType<typeof createPool>;
  let admin: ReturnType<typeof createPool>;

  beforeAll(() => {
    pool = createPool({
      url: database.url,
      max: 2,
      applicationName: 'rh-lost-test',
      onConnectionLost: (error) => lost.push(error),
    });
    admin = createPool({ url: database.url, max: 1, applicationName: 'rh-lost-admin' });
  });
  afterAll(async () => {
    await pool.end();
    await admin.end();
  });

  it('is reported for a checked-out client and an idle one without crashing, and the pool reconnects', async () => {
    const held = await pool.connect();
    const heldPid = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!
      .pid;
    await held.query('begin');
    const idle = await pool.connect();
    const idlePid = (await idle.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!
      .pid;
    idle.release();
    const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);
    // One backend at a time, so each report is known to come from its client: the server's
    // termination notice reaches the socket after pg_terminate_backend has returned.
    // No listener of the test's own: only the pool's handlers stand between the event and a crash.
    await terminate(idlePid);
    await expect.poll(() => pool.totalCount).toBe(1);
    await expect.poll(() => lost.length).toBeGreaterThanOrEqual(1);
    const fromIdle = lost.length;
    await terminate(heldPid);
    await expect.poll(() => lost.length).toBeGreaterThan(fromIdle);
    await expect(held.query('select 1')).rejects.toThrow(/not queryable|terminat/i);
    held.release(true);
    expect(lost.map((e) => (e as Error & { code?: string }).code)).toContain('57P01');
    const { rows } = await pool.query<{ one: number }>('select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
