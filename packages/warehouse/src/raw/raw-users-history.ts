import type { Selectable } from 'kysely';

import type { ChangeMarkers, HistoryColumns, HistoryMetadata } from './change-markers.ts';
import type { LoadMetadata } from './load-metadata.ts';
import type { RawUsersTable } from './raw-users.ts';

/**
 * `raw.users__history`: every extracted version of a user and its delete, never updated except by
 * an erasure (email, names, city and birth year nulled); unique `(user_id, _change_seq)`.
 */
export type RawUsersHistoryTable = HistoryColumns<
  Omit<RawUsersTable, keyof LoadMetadata | keyof ChangeMarkers | 'user_id'>
> & { user_id: string } & HistoryMetadata;

export type RawUserVersion = Selectable<RawUsersHistoryTable>;
