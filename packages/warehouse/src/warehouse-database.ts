import type { AggDailyContentTable, AggDailyUsageTable } from './trusted/aggregates.ts';
import type {
  BridgeContentCastTable,
  BridgeContentGenreTable,
  DimContentTable,
} from './trusted/dim-content.ts';
import type { DimDateTable } from './trusted/dim-date.ts';
import type { DimUserTable } from './trusted/dim-user.ts';
import type { FactViewingSessionTable } from './trusted/fact-viewing-session.ts';
import type { RefCountryTable } from './trusted/ref-country.ts';
import type {
  OpsDagRunsTable,
  OpsMaterializationsTable,
  OpsModelIntervalsTable,
  OpsTaskAttemptsTable,
  OpsTaskRunsTable,
} from './ops/ops-tables.ts';
import type {
  RawContentCastTable,
  RawContentCrewTable,
  RawContentGenresTable,
  RawContentSeasonsEpisodesTable,
  RawContentSeasonsTable,
  RawContentTable,
} from './raw/raw-content.ts';
import type { RawLoadsTable, RawRejectedRowsTable, RawStateTable } from './raw/raw-ledger.ts';
import type { RawContentHistoryTable } from './raw/raw-content-history.ts';
import type { RawUsersTable } from './raw/raw-users.ts';
import type { RawUsersHistoryTable } from './raw/raw-users-history.ts';
import type { RawViewingSessionsHistoryTable } from './raw/raw-viewing-sessions-history.ts';
import type { RawViewingSessionsTable } from './raw/raw-viewing-sessions.ts';

/** `raw`: the sources' current rows, their append-only histories, and the extractor's ledger. */
export interface RawSchema {
  'raw.users': RawUsersTable;
  'raw.viewing_sessions': RawViewingSessionsTable;
  'raw.content': RawContentTable;
  'raw.content__genres': RawContentGenresTable;
  'raw.content__cast': RawContentCastTable;
  'raw.content__crew': RawContentCrewTable;
  'raw.content__seasons': RawContentSeasonsTable;
  'raw.content__seasons__episodes': RawContentSeasonsEpisodesTable;
  'raw.users__history': RawUsersHistoryTable;
  'raw.viewing_sessions__history': RawViewingSessionsHistoryTable;
  'raw.content__history': RawContentHistoryTable;
  'raw._loads': RawLoadsTable;
  'raw._state': RawStateTable;
  'raw._rejected_rows': RawRejectedRowsTable;
}

/** `trusted`: the published star schema, the only schema the dashboard reads. */
export interface TrustedSchema {
  'trusted.dim_date': DimDateTable;
  'trusted.dim_user': DimUserTable;
  'trusted.dim_content': DimContentTable;
  'trusted.bridge_content_genre': BridgeContentGenreTable;
  'trusted.bridge_content_cast': BridgeContentCastTable;
  'trusted.fact_viewing_session': FactViewingSessionTable;
  'trusted.agg_daily_usage': AggDailyUsageTable;
  'trusted.agg_daily_content': AggDailyContentTable;
  'trusted.ref_country': RefCountryTable;
}

/** `ops`: run history of the orchestrator and the model compiler's interval ledger. */
export interface OpsSchema {
  'ops.dag_runs': OpsDagRunsTable;
  'ops.task_runs': OpsTaskRunsTable;
  'ops.task_attempts': OpsTaskAttemptsTable;
  'ops.materializations': OpsMaterializationsTable;
  'ops.model_intervals': OpsModelIntervalsTable;
}

/** Every warehouse table, keyed schema-qualified (`'raw.users'`), as Kysely's schema recipe does. */
export interface WarehouseDatabase extends RawSchema, TrustedSchema, OpsSchema {}

export const warehouseSchemas = ['raw', 'trusted', 'ops'] as const;
export type WarehouseSchemaName = (typeof warehouseSchemas)[number];
