import { isDeepStrictEqual } from 'node:util';

import { Long, type Collection, type Db, type Document } from 'mongodb';

/** The counter the loader takes change sequence numbers from, as the catalogue application would. */
export const changeCountersCollection = '_change_counters';
/** One document per deleted catalogue document: what the extractor propagates. */
export const contentDeletesCollection = '_deletes';
/** One document per applied batch (`<data set>/<batch>`), so a batch is applied once and in order. */
export const appliedBatchesCollection = '_applied_batches';

const markerFields = new Set(['_id', '_change_seq', '_changed_at']);

/** A catalogue document as stored, keyed by the content id. */
export interface StoredContent {
  _id: string;
  [field: string]: unknown;
}

/**
 * Reserves `count` consecutive change sequence numbers from the counter (one atomic `$inc`) and
 * returns the first. FerretDB has no change streams, so this counter is the catalogue's change log.
 */
export async function reserveChangeSeqs(db: Db, count: number): Promise<number> {
  const counter = await db
    .collection<{ _id: string; seq: number }>(changeCountersCollection)
    .findOneAndUpdate(
      { _id: 'content' },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after' },
    );
  const last = Number(counter?.seq ?? count);
  return last - count + 1;
}

function withoutMarkers(document: Document): Document {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !markerFields.has(key)));
}

/** How many `_id` lookups run at once: each is one indexed query, on MongoDB and FerretDB alike. */
const lookupConcurrency = 8;

/**
 * The stored documents with these ids, looked up one `_id` at a time. FerretDB v1.24's SQLite
 * backend answers an `_id` equality from its primary key but scans the whole collection for an
 * `$in` (the 1M bench's 5,000 titles of ~2 KB: 23–30 s on a busy 2-core machine, measured), so a
 * day's few changed titles are found by key, on MongoDB about as cheaply as with one `$in`.
 */
export async function storedByIds(
  content: Collection<StoredContent>,
  ids: readonly string[],
): Promise<Map<string, StoredContent>> {
  const stored = new Map<string, StoredContent>();
  for (let at = 0; at < ids.length; at += lookupConcurrency) {
    const found = await Promise.all(
      ids.slice(at, at + lookupConcurrency).map((id) => content.findOne({ _id: id })),
    );
    for (const document of found) if (document !== null) stored.set(document._id, document);
  }
  return stored;
}

/**
 * Most write statements in one command. FerretDB v1.24's SQLite backend keeps each statement's
 * query open (a pooled connection, `defer` in a loop) until the whole command ends, and its pool
 * has 100 connections: a command of 100+ statements waits for a connection forever. That hung the
 * second `pnpm pipeline` against a long-lived FerretDB (issue 12).
 */
export const maxStatementsPerCommand = 64;

/**
 * Writes good documents with fresh change markers and returns how many were new and how many
 * replaced a stored version. Into an empty collection every document is an insert; otherwise
 * documents equal to their stored version are skipped (they are not changes and must keep their
 * markers); changed stored ones are replaced by `_id`, at most 64 to a command, new ones inserted.
 */
export async function writeMarkedContent(
  db: Db,
  content: Collection<StoredContent>,
  options: {
    documents: readonly { id: string; document: Record<string, unknown> }[];
    intoEmpty: boolean;
  },
): Promise<{ inserted: number; replaced: number }> {
  let changed = options.documents;
  let stored = new Map<string, StoredContent>();
  if (!options.intoEmpty && changed.length > 0) {
    stored = await storedByIds(
      content,
      changed.map((d) => d.id),
    );
    changed = changed.filter(({ id, document }) => {
      const before = stored.get(id);
      return (
        before === undefined || !isDeepStrictEqual(withoutMarkers(before), withoutMarkers(document))
      );
    });
  }
  if (changed.length === 0) return { inserted: 0, replaced: 0 };
  const first = await reserveChangeSeqs(db, changed.length);
  const changedAt = new Date();
  const marked = changed.map(({ id, document }, n) => ({
    ...document,
    _id: id,
    _change_seq: Long.fromNumber(first + n),
    _changed_at: changedAt,
  }));
  if (options.intoEmpty) {
    await content.insertMany(marked, { ordered: false });
    return { inserted: marked.length, replaced: 0 };
  }
  // Stored ones are replaced without upsert (FerretDB answers that filter by key; an upsert scans
  // the collection), new ones inserted; the lookup above saw the collection as this writer left it.
  const fresh = marked.filter((document) => !stored.has(document._id));
  const known = marked.filter((document) => stored.has(document._id));
  if (fresh.length > 0) await content.insertMany(fresh, { ordered: false });
  for (let at = 0; at < known.length; at += maxStatementsPerCommand) {
    await content.bulkWrite(
      known.slice(at, at + maxStatementsPerCommand).map((document) => ({
        replaceOne: { filter: { _id: document._id }, replacement: document },
      })),
      { ordered: false },
    );
  }
  return { inserted: fresh.length, replaced: known.length };
}

/** Deletes catalogue documents, leaving a tombstone (with its own change marker) for each one that existed. */
export async function deleteContent(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const content = db.collection<StoredContent>('content');
  const present = [...(await storedByIds(content, ids)).keys()];
  if (present.length === 0) return 0;
  const first = await reserveChangeSeqs(db, present.length);
  const changedAt = new Date();
  // Tombstones first: a crash in between leaves a tombstone for a live document, which the
  // extractor's reconciliation reports until the batch's rerun deletes it.
  await db.collection(contentDeletesCollection).insertMany(
    present.map((key, n) => ({
      stream: 'content',
      key,
      _change_seq: Long.fromNumber(first + n),
      _changed_at: changedAt,
    })),
  );
  // One delete statement per key: FerretDB finds an `_id` equality by key but scans for `$in`.
  let deleted = 0;
  for (let at = 0; at < present.length; at += maxStatementsPerCommand) {
    const result = await content.bulkWrite(
      present
        .slice(at, at + maxStatementsPerCommand)
        .map((id) => ({ deleteOne: { filter: { _id: id } } })),
      { ordered: false },
    );
    deleted += result.deletedCount;
  }
  return deleted;
}
