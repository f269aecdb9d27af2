import { dataFiles, deviceTypes, exitReasons, qualities, viewingSessionCsvRow, type viewingSessionColumns } from '@reelhouse/contracts';

import { sqlList, type SourceColumn, type SourceTable } from './source-table.ts';

const columns = [
  { name: 'session_id', type: 'uuid', nullable: false },
  { name: 'user_id', type: 'uuid', nullable: false },
  { name: 'content_id', type: 'text', nullable: false, check: `content_id ~ '^(mov|ep)_[0-9a-z_]+$'` },
  { name: 'started_at', type: 'timestamptz', nullable: false },
  { name: 'ended_at', type: 'timestamptz', nullable: false },
  { name: 'watch_duration_s', type: 'integer', nullable: false, check: 'watch_duration_s BETWEEN 0 AND 21600' },
  { name: 'position_start_s', type: 'integer', nullable: false, check: 'position_start_s >= 0' },
  { name: 'position_end_s', type: 'integer', nullable: false, check: 'position_end_s >= 0' },
  { name: 'device_type', type: 'text', nullable: false, check: `device_type IN (${sqlList(deviceTypes)})` },
  { name: 'device_os', type: 'text', nullable: false, check: `device_os <> ''` },
  { name: 'app_version', type: 'text', nullable: false, check: String.raw`app_version ~ '^\d+\.\d+\.\d+$'` },
  { name: 'country_code', type: 'char2', nullable: false, check: `country_code ~ '^[A-Z]{2}$'` },
  { name: 'quality', type: 'text', nullable: false, check: `quality IN (${sqlList(qualities)})` },
  { name: 'avg_bitrate_kbps', type: 'integer', nullable: false, check: 'avg_bitrate_kbps BETWEEN 100 AND 40000' },
  { name: 'bytes_transferred', type: 'bigint', nullable: false, check: 'bytes_transferred >= 0' },
  { name: 'startup_ms', type: 'integer', nullable: false, check: 'startup_ms BETWEEN 0 AND 120000' },
  { name: 'rebuffer_count', type: 'smallint', nullable: false, check: 'rebuffer_count >= 0' },
  { name: 'rebuffer_ms', type: 'integer', nullable: false, check: 'rebuffer_ms >= 0' },
  { name: 'exit_reason', type: 'text', nullable: false, check: `exit_reason IN (${sqlList(exitReasons)})` },
  { name: 'is_offline', type: 'boolean', nullable: false },
  { name: 'updated_at', type: 'timestamptz', nullable: false },
] as const satisfies readonly (SourceColumn & { name: (typeof viewingSessionColumns)[number] })[];

/** `viewing_sessions.csv` → `public.viewing_sessions` (no foreign key: orphans are the warehouse's to catch). */
export const viewingSessionsTable: SourceTable = {
  file: dataFiles.viewingSessions,
  table: 'viewing_sessions',
  key: 'session_id',
  columns,
  tableChecks: {
    viewing_sessions_ended_after_started: 'ended_at >= started_at',
    viewing_sessions_positions_ordered: 'position_end_s >= position_start_s',
  },
  orderedTimestamps: [['started_at', 'ended_at']],
  schema: viewingSessionCsvRow,
};
