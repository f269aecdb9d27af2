export type { Timestamp, DateText, BigIntNumber, Json } from './column-types.ts';
export type {
  LoadMetadata,
  ChildRowMetadata,
  ChangeMarkers,
  HistoryMetadata,
} from './raw/load-metadata.ts';
export type { RawUsersTable, RawUsersHistoryTable, RawUser, NewRawUser } from './raw/raw-users.ts';
export type {
  RawViewingSessionsTable,
  RawViewingSessionsHistoryTable,
  RawViewingSession,
  NewRawViewingSession,
} from './raw/raw-viewing-sessions.ts';
export type {
  RawContentTable,
  RawContentHistoryTable,
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
  RunType,
  OpsDagRunsTable,
  OpsTaskRunsTable,
  OpsTaskAttemptsTable,
  OpsMaterializationsTable,
  OpsModelIntervalsTable,
  OpsRunLeasesTable,
  OpsDagRun,
  OpsTaskRun,
  OpsTaskAttempt,
  OpsRunLease,
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
export { modelsPublishedChannel, notifyModelsPublished } from './models-published.ts';
