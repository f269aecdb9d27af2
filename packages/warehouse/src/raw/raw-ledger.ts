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
  rows_rejected: BigIntNumber;
  /** Cursor the load read from (`>=`), `null` for a first load or a full refresh; same text format as `raw._state`. */
  cursor_from: string | null;
  /** Cursor saved by the load: the highest `updated_at` it read, else `cursor_from`; `null` for a failed load. */
  cursor_to: string | null;
  error: string | null;
  warnings: Json<string[]>;
}

/** `raw._state`: the incremental cursor of each stream, as text so no precision is lost. */
export interface RawStateTable {
  stream: string;
  cursor_column: string;
  /** UTC text, `2025-03-01T12:00:00.654321Z`: microseconds for PostgreSQL streams, milliseconds (BSON) for MongoDB. */
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
