import type { BigIntNumber, Timestamp } from '../column-types.ts';

/** Columns every `raw` row carries: which load wrote it and when it was extracted. */
export interface LoadMetadata {
  _load_id: string;
  _extracted_at: Timestamp;
}

/**
 * The source's own change markers of the extracted version (never the file's business time):
 * PostgreSQL sets them in a trigger, the MongoDB loader from its counter.
 */
export interface ChangeMarkers {
  /** The source's change sequence number of this version. */
  _change_seq: BigIntNumber;
  /** When the source wrote this version. */
  _changed_at: Timestamp;
}

/** Columns of every `raw.*__history` row besides the source's own: what happened and when. */
export interface HistoryMetadata extends ChangeMarkers, LoadMetadata {
  /** `upsert` (a version of the row) or `delete` (a tombstone: only the key and markers). */
  _op: 'upsert' | 'delete';
}

/** Columns of every child table of a normalized nested array (`parent__child`). */
export interface ChildRowMetadata {
  /** Id of the top-level document (`raw.content.content_id`). */
  _root_id: string;
  /** `_row_id` of the parent row; for a top-level list, the document id. */
  _parent_id: string;
  /** Position of the element in its array, from 0. */
  _list_idx: number;
  /** Stable id of this row: `<_parent_id>/<list name>/<_list_idx>`, referenced by its own children. */
  _row_id: string;
  _load_id: string;
}
