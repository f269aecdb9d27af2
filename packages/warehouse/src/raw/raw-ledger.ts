import type { Generated, Insertable, Selectable } from 'kysely';

import type { BigIntNumber, Json, Timestamp } from '../column-types.ts';

export type LoadStatus = 'succeeded' | 'failed';
export type WriteDisposition = 'merge' | 'replace' | 'append';

/** `raw._loads`: one row per load of one stream, written in the load's own transaction (or after its rollback, as failed). */
export interface RawLoadsTable {
  load_id: string;
  stream: string;
  source: string;
  status: LoadStatus;
  disposition: WriteDisposition;
  started_at: Timestamp;
  finished_at: Timestamp;
  rows_extracted: BigIntNumber;
  rows_inserted: BigIntNumber;
  rows_updated: BigIntNumber;
  /** Rows the load removed from the current table (tombstones newer than the row), erasures included. */
  rows_deleted: BigIntNumber;
  rows_rejected: BigIntNumber;
  /** Cursor the load read from, `null` for a first load or a full refresh; same text format as `raw._state`. */
  cursor_from: string | null;
  /** Cursor saved by the load (see `raw._state`); `null` for a failed load. */
  cursor_to: string | null;
  error: string | null;
  warnings: Json<string[]>;
}

/** `raw._state`: the incremental cursor of each stream, as text so no precision is lost. */
export interface RawStateTable {
  stream: string;
  cursor_column: string;
  /**
   * JSON text. PostgreSQL streams (`cursor_column` `_change_xid`): `{"xmin":"<xid8>","at":"<ISO>"}`,
   * the source snapshot's oldest running transaction when the load read (every change of a
   * transaction below it was seen) and the snapshot's time. MongoDB (`_change_seq`):
   * `{"seq":<n>,"at":"<ISO>"}`, the highest change sequence read.
   */
  cursor_value: string;
  load_id: string;
  updated_at: Timestamp;
}

/** `raw._rejected_rows`: records the extractor could not land, with where and why. */
export interface RawRejectedRowsTable {
  id: Generated<BigIntNumber>;
  stream: string;
  source_file: string | null;
  position: BigIntNumber | null;
  record_key: string | null;
  raw_text: string;
  error_code: string;
  message: string;
  load_id: string;
  rejected_at: Generated<Timestamp>;
}

export type RawLoad = Selectable<RawLoadsTable>;
export type NewRawLoad = Insertable<RawLoadsTable>;
export type RawState = Selectable<RawStateTable>;
export type RawRejectedRow = Selectable<RawRejectedRowsTable>;
