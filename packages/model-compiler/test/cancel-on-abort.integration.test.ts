import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { withCancelOnAbort } from '../src/cancel-on-abort.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('cancel_on_abort');

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await sql<{
    exists: boolean;
  }>`select to_regclass(${name}) is not null as "exists"`.execute(warehouse.db);
  return rows[0]?.exists === true;
}

describe('withCancelOnAbort', () => {
  it('cancels the running statement when the signal fires', async () => {
    const controller = new AbortController();
    const work = warehouse.db
      .connection()
      .execute((connection) =>
        withCancelOnAbort(
          { connection, canceller: warehouse.db, signal: controller.signal },
          (guarded) => sql`select pg_sleep(30)`.execute(guarded),
        ),
      );
    setTimeout(() => controller.abort(), 100);
    await expect(work).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses to start a statement once the signal fired between two statements', async () => {
    const controller = new AbortController();
    const work = warehouse.db.connection().execute((connection) =>
      withCancelOnAbort(
        { connection, canceller: warehouse.db, signal: controller.signal },
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
