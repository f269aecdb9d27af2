import type { BigIntNumber, Timestamp } from '../column-types.ts';
import type { LoadMetadata } from './load-metadata.ts';

/** The source's own markers of a row version, set by the source when the row was written. */
export interface ChangeMarkers {
  /** From one source sequence: orders every write of a stream. */
  _change_seq: BigIntNumber;
  /** The source's clock when the row was written (not the business `updated_at`). */
  _changed_at: Timestamp;
}

/** A row of an append-only `raw.<stream>__history` table: one extracted version, or a delete. */
export type HistoryMetadata = ChangeMarkers &
  LoadMetadata & {
    _op: 'upsert' | 'delete';
  };

/** The source columns of a history row: null on a delete, and erased columns null after an erasure. */
export type HistoryColumns<Row> = { [K in keyof Row]: Row[K] | null };
