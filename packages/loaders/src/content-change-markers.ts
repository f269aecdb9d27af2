import { isDeepStrictEqual } from 'node:util';

import { Long, type AnyBulkWriteOperation, type Collection, type Db, type Document } from 'mongodb';

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

/**
 * Turns good documents into writes that carry fresh change markers. Into an empty collection every
 * document is an insert; otherwise documents equal to their stored version are dropped (they are
 * not changes and must keep their markers), the rest are replaced by `_id` (upsert).
 */
export async function markedContentWrites(
  db: Db,
  content: Collection<StoredContent>,
  options: {
    documents: readonly { id: string; document: Record<string, unknown> }[];
    intoEmpty: boolean;
  },
): Promise<AnyBulkWriteOperation<StoredContent>[]> {
  let changed = options.documents;
  if (!options.intoEmpty && changed.length > 0) {
    const stored = new Map(
      (await content.find({ _id: { $in: changed.map((d) => d.id) } }).toArray()).map((d) => [
        d._id,
        d,
      ]),
    );
    changed = changed.filter(({ id, document }) => {
      const before = stored.get(id);
      return (
        before === undefined || !isDeepStrictEqual(withoutMarkers(before), withoutMarkers(document))
      );
    });
  }
  if (changed.length === 0) return [];
  const first = await reserveChangeSeqs(db, changed.length);
  const changedAt = new Date();
  return changed.map(({ id, document }, n) => {
    const marked = {
      ...document,
      _id: id,
      _change_seq: Long.fromNumber(first + n),
      _changed_at: changedAt,
    };
    return options.intoEmpty
      ? { insertOne: { document: marked } }
      : { replaceOne: { filter: { _id: id }, replacement: marked, upsert: true } };
  });
}

/** Deletes catalogue documents, leaving a tombstone (with its own change marker) for each one that existed. */
export async function deleteContent(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const content = db.collection<StoredContent>('content');
  const present = (
    await content.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()
  ).map((d) => d._id);
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
  const deleted = await content.deleteMany({ _id: { $in: present } });
  return deleted.deletedCount;
}
