import type { RawStateTable } from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';
import type pg from 'pg';

import { rawQueryBuilder, runCompiled } from './raw-query-builder.ts';

/** Reads the saved cursor of `stream` (text, full precision), or `null` before its first load. */
export async function readCursor(client: pg.ClientBase, stream: string): Promise<string | null> {
  const rows = await runCompiled(
    client,
    rawQueryBuilder.selectFrom('raw._state').select('cursor_value').where('stream', '=', stream),
  );
  return rows[0]?.cursor_value ?? null;
}

/** Saves the cursor of a stream; runs inside the load's transaction so it commits with the data. */
export async function saveCursor(
  client: pg.ClientBase,
  state: Insertable<RawStateTable>,
): Promise<void> {
  await runCompiled(
    client,
    rawQueryBuilder
      .insertInto('raw._state')
      .values(state)
      .onConflict((conflict) =>
        conflict.column('stream').doUpdateSet((eb) => ({
          cursor_column: eb.ref('excluded.cursor_column'),
          cursor_value: eb.ref('excluded.cursor_value'),
          load_id: eb.ref('excluded.load_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
  );
}
