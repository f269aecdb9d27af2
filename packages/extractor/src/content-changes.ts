import type { Db, Document, Filter } from 'mongodb';
import type pg from 'pg';

import type { MongoCursor } from './change-cursor.ts';
import { mongoFailure } from './content-collection.ts';
import { contentChildTables, contentTable } from './content-tables.ts';
import { copyRowsInto } from './copy-text-rows.ts';
import { FingerprintAccumulator, type StreamFingerprint } from './reconcile.ts';

/** Where the tombstones of the content stream are staged. */
export const contentTombstoneStage = 'pg_temp.stage_content__deletes';

/** The change filter of the content stream: sequence numbers above the cursor, widened by the lookback. */
export function changedSinceFilter(
  cursor: MongoCursor | null,
  lookbackSeconds: number,
): Filter<Document> {
  if (cursor === null) return {};
  const bySeq = { _change_seq: { $gt: cursor.seq } };
  if (lookbackSeconds <= 0) return bySeq;
  return {
    $or: [
      bySeq,
      { _changed_at: { $gte: new Date(Date.parse(cursor.at) - lookbackSeconds * 1000) } },
    ],
  };
}

/**
 * The same test as `changedSinceFilter`, on one document's markers: the content stream reads the
 * whole collection once (for its fingerprint) and keeps the changed documents from that pass.
 */
export function changedSincePredicate(
  cursor: MongoCursor | null,
  lookbackSeconds: number,
): (markers: { seq: number; changedAt: Date }) => boolean {
  if (cursor === null) return () => true;
  const since = Date.parse(cursor.at) - lookbackSeconds * 1000;
  return ({ seq, changedAt }) =>
    seq > cursor.seq || (lookbackSeconds > 0 && changedAt.getTime() >= since);
}

/** Stages the content tombstones newer than the cursor; returns how many and the highest sequence. */
export async function stageContentTombstones(
  client: pg.ClientBase,
  facts: { mongo: Db; filter: Filter<Document>; loadId: string; extractedAt: string },
): Promise<{ count: number; maxSeq: number | null }> {
  await client.query(
    `create temp table ${contentTombstoneStage} (key text not null, _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null) on commit drop`,
  );
  const tombstones = await facts.mongo
    .collection('_deletes')
    .find({ ...facts.filter, stream: 'content' })
    .toArray()
    .catch((error: unknown) => {
      throw mongoFailure(error);
    });
  const rows = tombstones.map((t) => ({
    key: String(t['key']),
    _change_seq: Number(t['_change_seq']),
    _changed_at: t['_changed_at'] as Date,
    _load_id: facts.loadId,
    _extracted_at: facts.extractedAt,
  }));
  await copyRowsInto(client, {
    table: contentTombstoneStage,
    columns: ['key', '_change_seq', '_changed_at', '_load_id', '_extracted_at'],
    rows,
  });
  const maxSeq = rows.length === 0 ? null : Math.max(...rows.map((r) => r._change_seq));
  return { count: rows.length, maxSeq };
}

/** Removes documents (parent and child rows) that a newer tombstone deleted; returns how many. */
export async function deleteTombstonedContent(client: pg.ClientBase): Promise<number> {
  await client.query(`create temp table stage_content_gone on commit drop as
    select r.content_id from raw.content r join ${contentTombstoneStage} d on d.key = r.content_id
     where r._change_seq < d._change_seq`);
  const gone = 'select content_id from pg_temp.stage_content_gone';
  for (const table of contentChildTables)
    await client.query(`delete from ${table.rawTable} where _root_id in (${gone})`);
  const deleted = await client.query(`delete from raw.content where content_id in (${gone})`);
  return deleted.rowCount ?? 0;
}

/** Appends the versions in `rows` (a table shaped like raw.content) and the staged tombstones to the history. */
export async function appendContentHistory(
  client: pg.ClientBase,
  rows: string,
): Promise<{ versions: number; tombstones: number }> {
  const versions = await client.query(
    `insert into raw.content__history (content_id, updated_at, _doc, _op, _change_seq, _changed_at, _load_id, _extracted_at)
     select content_id, updated_at, _doc, 'upsert', _change_seq, _changed_at, _load_id, _extracted_at from ${rows}
     on conflict (content_id, _change_seq) do nothing`,
  );
  const tombstones = await client.query(
    `insert into raw.content__history (content_id, _op, _change_seq, _changed_at, _load_id, _extracted_at)
     select key, 'delete', _change_seq, _changed_at, _load_id, _extracted_at from ${contentTombstoneStage}
     on conflict (content_id, _change_seq) do nothing`,
  );
  return { versions: versions.rowCount ?? 0, tombstones: tombstones.rowCount ?? 0 };
}

/** The same fingerprint over `raw.content`, computed in Node with the same hash. */
export async function rawContentFingerprint(client: pg.ClientBase): Promise<StreamFingerprint> {
  const accumulator = new FingerprintAccumulator();
  const result = await client.query<{ id: string; seq: string }>(
    `select content_id as id, _change_seq::text as seq from ${contentTable.rawTable}`,
  );
  for (const row of result.rows) accumulator.add(row.id, BigInt(row.seq));
  return accumulator.value;
}
