import type { Selectable } from 'kysely';

import type { Json, Timestamp } from '../column-types.ts';
import type { HistoryMetadata } from './change-markers.ts';

/** `raw.content__history`: every extracted version of a title (the whole document) and its delete; unique `(content_id, _change_seq)`. */
export interface RawContentHistoryTable extends HistoryMetadata {
  content_id: string;
  updated_at: Timestamp | null;
  _doc: Json<Record<string, unknown>> | null;
}

export type RawContentVersion = Selectable<RawContentHistoryTable>;
