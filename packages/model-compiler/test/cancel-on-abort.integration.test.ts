import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool } from '@reelhouse/warehouse';

import type { AnyKysely } from '../src/any-kysely.ts';
import { withCancelOnAbort } from '../src/cancel-on-abort.ts';

const database = usePostgresDatabase('cancel_on_abort');
let pool: pg.Pool;
let db: AnyKysely;

beforeAll(() => {
  pool = createPool({ url: database.url });
  db = createKysely(pool);
});
afterAll(async () => {
  await db.destroy();
});

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await sql<{
    exists: boolean;
  }>`select to_regclass(${name}) is not null as "exists"`.execute(db);
  return rows[0]?.exists === true;
}

describe('withCancelOnAbort', () => {
  it('cancels the running statement when the signal fires', async () => {
    const controller = new AbortController();
    const work = db
      .connection()
      .execute((connection) =>
        withCancelOnAbort({ connection, canceller: db, signal: controller.signal }, (guarded) =>
          sql`select pg_sleep(30)`.execute(guarded),
        ),
      );
    setTimeout(() => controller.abort(), 100);
    await expect(work).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses to start a statement once the signal fired between two statements', async () => {
    const controller = new AbortController();
    const work = db.connection().execute((connection) =>
      withCancelOnAbort(
        { connection, canceller: db, signal: controller.signal },
        async (guarded) => {
          await sql`create table first_step (id int)`.execute(guarded);
          controller.abort();
          await sql`create table second_step (id int)`.execute(guarded);
        },
      ),
    );
    await expect(work).rejects.toMatchObject({
      code: 'aborted',
      message: 'the model build was aborted',
    });
    expect([await tableExists('first_step'), await tableExists('second_step')]).toEqual([
      true,
      false,
    ]);
  });
});
