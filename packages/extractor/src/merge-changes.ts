import pg from 'pg';

import type { PostgresStream } from './postgres-stream.ts';

const quote = pg.escapeIdentifier;

/** What landing a batch of changes did to the current table and the history. */
export interface ChangeCounts {
  readonly inserted: number;
  readonly updated: number;
  /** Current rows removed by a newer tombstone. */
  readonly deleted: number;
  /** Versions new to the history (upserts and tombstones). */
  readonly versions: number;
  /** Tombstones new to the history. */
  readonly tombstones: number;
}

/**
 * Appends the staged versions and tombstones to the stream's history (a version already there,
 * by key and change sequence, is skipped: rereads add nothing), and on an erasure nulls the
 * personal columns of every history row of that key.
 */
export async function appendHistory(
  client: pg.ClientBase,
  options: { spec: PostgresStream; rows: string; tombstones: string; columns: readonly string[] },
): Promise<{ versions: number; tombstones: number }> {
  const { spec } = options;
  const history = `${spec.rawTable}__history`;
  const key = quote(spec.key);
  const list = [...options.columns, '_change_seq', '_changed_at', '_load_id', '_extracted_at']
    .map(quote)
    .join(', ');
  const versions = await client.query(
    `insert into ${history} (${list}, _op) select ${list}, 'upsert' from ${options.rows} on conflict (${key}, _change_seq) do nothing`,
  );
  const tombstones = await client.query(
    `insert into ${history} (${key}, _op, _change_seq, _changed_at, _load_id, _extracted_at)
     select key::${spec.keyType}, 'delete', _change_seq, _changed_at, _load_id, _extracted_at from ${options.tombstones}
     on conflict (${key}, _change_seq) do nothing`,
  );
  if (spec.personalColumns.length > 0) {
    const personal = spec.personalColumns.map(quote);
    await client.query(
      `update ${history} set ${personal.map((c) => `${c} = null`).join(', ')}
        where ${key} in (select key::${spec.keyType} from ${options.tombstones})
          and (${personal.map((c) => `${c} is not null`).join(' or ')})`,
    );
  }
  return { versions: versions.rowCount ?? 0, tombstones: tombstones.rowCount ?? 0 };
}

/**
 * Applies staged changes to the current table by change sequence: a tombstone removes a row
 * older than itself; a version replaces an older one or inserts a new key. A reread version
 * (same sequence) changes nothing, so rereading under a lookback is harmless.
 */
export async function mergeChanges(
  client: pg.ClientBase,
  options: { spec: PostgresStream; rows: string; tombstones: string; columns: readonly string[] },
): Promise<Omit<ChangeCounts, 'versions' | 'tombstones'>> {
  const { spec } = options;
  const key = quote(spec.key);
  const deleted = await client.query(
    `delete from ${spec.rawTable} r using ${options.tombstones} d
      where r.${key} = d.key::${spec.keyType} and r._change_seq < d._change_seq`,
  );
  const written = [
    ...options.columns,
    '_change_seq',
    '_changed_at',
    '_load_id',
    '_extracted_at',
  ].map(quote);
  const list = written.join(', ');
  const merged = await client.query<{ inserted: number; updated: number }>(`with batch as (
  select distinct on (${key}) ${list} from ${options.rows} order by ${key}, _change_seq desc
), merged as (
  insert into ${spec.rawTable} as target (${list})
  select ${list} from batch b
  where not exists (select 1 from ${options.tombstones} d where d.key::${spec.keyType} = b.${key} and d._change_seq > b._change_seq)
  on conflict (${key}) do update set ${written
    .filter((name) => name !== key)
    .map((name) => `${name} = excluded.${name}`)
    .join(', ')}
  where excluded._change_seq > target._change_seq
  returning (xmax = 0) as inserted
)
select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from merged`);
  const counts = merged.rows[0] ?? { inserted: 0, updated: 0 };
  return { inserted: counts.inserted, updated: counts.updated, deleted: deleted.rowCount ?? 0 };
}
