import type pg from 'pg';

import { contentTombstoneStage } from './content-changes.ts';
import { contentChildTables, contentTable } from './content-tables.ts';
import type { MergeCounts } from './merge-staged-rows.ts';

/**
 * Replaces, in `raw`, every staged document that is new or newer (a higher change sequence) than
 * its raw version (its parent row and all its child rows); a reread version is left untouched.
 */
export async function mergeStagedContent(client: pg.ClientBase): Promise<MergeCounts> {
  await client.query(`create temp table stage_changed on commit drop as
    select s.content_id, r.content_id is null as is_new
      from ${contentTable.stage} s left join raw.content r on r.content_id = s.content_id
     where (r.content_id is null or s._change_seq > r._change_seq)
       -- A document read before its delete landed is not brought back by the merge.
       and not exists (select 1 from ${contentTombstoneStage} d where d.key = s.content_id and d._change_seq > s._change_seq)`);
  const changed = 'select content_id from pg_temp.stage_changed';
  for (const table of contentChildTables) {
    await client.query(`delete from ${table.rawTable} where _root_id in (${changed})`);
  }
  await client.query(`delete from raw.content where content_id in (${changed})`);
  await client.query(
    `insert into raw.content select s.* from ${contentTable.stage} s where s.content_id in (${changed})`,
  );
  for (const table of contentChildTables) {
    await client.query(
      `insert into ${table.rawTable} select s.* from ${table.stage} s where s._root_id in (${changed})`,
    );
  }
  const counts = await client.query<MergeCounts>(
    'select count(*) filter (where is_new)::int as inserted, count(*) filter (where not is_new)::int as updated from pg_temp.stage_changed',
  );
  return counts.rows[0] ?? { inserted: 0, updated: 0 };
}
