import type { Timestamp } from '../column-types.ts';

/** Columns every `raw` row carries: which load wrote it and when it was extracted. */
export interface LoadMetadata {
  _load_id: string;
  _extracted_at: Timestamp;
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
