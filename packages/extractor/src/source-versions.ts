import { sql } from 'kysely';
import type pg from 'pg';

import { allContentTables } from './content-staging.ts';
import { usersStream, viewingSessionsStream } from './postgres-stream.ts';
import { rawQueryBuilder, runCompiled } from './raw-query-builder.ts';
import type { StreamName } from './stream-name.ts';

/** The raw tables each stream writes. */
const tablesOfStream: Readonly<Record<StreamName, readonly string[]>> = {
  users: [usersStream.rawTable, `${usersStream.rawTable}__history`],
  viewing_sessions: [viewingSessionsStream.rawTable, `${viewingSessionsStream.rawTable}__history`],
  content: [...allContentTables.map((table) => table.rawTable), 'raw.content__history'],
};

/**
 * The version of every raw table the extractor writes: the id of the last succeeded load of its
 * stream that changed it (inserted, updated or deleted rows, or replaced the table). Rereading unchanged
 * rows leaves it as it was, so it is what `buildModels({ sourceVersions })` compares to skip models
 * whose sources did not change. Tables of a stream never loaded are left out (never up to date).
 * Raw tables written by anything but the extractor are outside what it can tell.
 */
export async function readSourceVersions(
  warehouse: pg.Pool | pg.ClientBase,
): Promise<Record<string, string>> {
  const exists = await warehouse.query<{ exists: boolean }>(
    `select to_regclass('raw._loads') is not null as "exists"`,
  );
  if (exists.rows[0]?.exists !== true) return {};
  const latest = await runCompiled(
    warehouse,
    rawQueryBuilder
      .selectFrom('raw._loads')
      .distinctOn('stream')
      .select(['stream', 'load_id'])
      .where('status', '=', 'succeeded')
      .where((eb) =>
        eb.or([
          eb('disposition', '=', 'replace'),
          // A delete (a tombstone landed) is a change too.
          eb(sql`rows_inserted + rows_updated + rows_deleted`, '>', 0),
        ]),
      )
      .orderBy('stream')
      .orderBy('finished_at', 'desc'),
  );
  const versions: Record<string, string> = {};
  for (const { stream, load_id } of latest) {
    const tables = tablesOfStream[stream as StreamName] as readonly string[] | undefined;
    for (const table of tables ?? []) versions[table] = load_id;
  }
  return versions;
}
