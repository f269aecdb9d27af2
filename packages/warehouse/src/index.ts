export type { Timestamp, DateText, BigIntNumber, Json } from './column-types.ts';
export type { LoadMetadata, ChildRowMetadata } from './raw/load-metadata.ts';
export type { ChangeMarkers, HistoryMetadata, HistoryColumns } from './raw/change-markers.ts';
export type { RawUsersTable, RawUser, NewRawUser } from './raw/raw-users.ts';
export type { RawUsersHistoryTable, RawUserVersion } from './raw/raw-users-history.ts';
export type {
  RawViewingSessionsHistoryTable,
  RawViewingSessionVersion,
} from './raw/raw-viewing-sessions-history.ts';
export type { RawContentHistoryTable, RawContentVersion } from './raw/raw-content-history.ts';
export type {
  RawViewingSessionsTable,
  RawViewingSession,
  NewRawViewingSession,
} from './raw/raw-viewing-sessions.ts';
export type {
  RawContentTable,
  RawContentGenresTable,
  RawContentCastTable,
  RawContentCrewTable,
  RawContentSeasonsTable,
  RawContentSeasonsEpisodesTable,
  RawContent,
  NewRawContent,
} from './raw/raw-content.ts';
export type {
  RawLoadsTable,
  RawStateTable,
  RawRejectedRowsTable,
  RawLoad,
  NewRawLoad,
  RawState,
  RawRejectedRow,
  LoadStatus,
  WriteDisposition,
} from './raw/raw-ledger.ts';
export type { DimDateTable, DimDate } from './trusted/dim-date.ts';
export type { DimUserTable, DimUser } from './trusted/dim-user.ts';
export type {
  DimContentTable,
  DimContent,
  BridgeContentGenreTable,
  BridgeContentCastTable,
} from './trusted/dim-content.ts';
export type {
  FactViewingSessionTable,
  FactViewingSession,
} from './trusted/fact-viewing-session.ts';
export type {
  AggDailyUsageTable,
  AggDailyContentTable,
  AggDailyUsage,
  AggDailyContent,
} from './trusted/aggregates.ts';
export type { RefCountryTable, RefCountry } from './trusted/ref-country.ts';
export type {
  TaskState,
  RunState,
  OpsDagRunsTable,
  OpsTaskRunsTable,
  OpsTaskAttemptsTable,
  OpsMaterializationsTable,
  OpsModelIntervalsTable,
  OpsDagRun,
  OpsTaskRun,
  OpsTaskAttempt,
} from './ops/ops-tables.ts';
export {
  type WarehouseDatabase,
  type RawSchema,
  type TrustedSchema,
  type OpsSchema,
  warehouseSchemas,
  type WarehouseSchemaName,
} from './warehouse-database.ts';
export { createPool, createKysely, type PoolOptions, type ConnectionString } from './connect.ts';
export { ensureWarehouseSchemas } from './ensure-schemas.ts';
