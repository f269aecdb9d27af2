import type { Selectable } from 'kysely';

import type { ChangeMarkers, HistoryColumns, HistoryMetadata } from './change-markers.ts';
import type { LoadMetadata } from './load-metadata.ts';
import type { RawViewingSessionsTable } from './raw-viewing-sessions.ts';

/** `raw.viewing_sessions__history`: every extracted version of a session and its delete; unique `(session_id, _change_seq)`. */
export type RawViewingSessionsHistoryTable = HistoryColumns<
  Omit<RawViewingSessionsTable, keyof LoadMetadata | keyof ChangeMarkers | 'session_id'>
> & { session_id: string } & HistoryMetadata;

export type RawViewingSessionVersion = Selectable<RawViewingSessionsHistoryTable>;
