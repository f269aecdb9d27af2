import {
  dataFiles,
  deviceTypes,
  exitReasons,
  qualities,
  viewingSessionCsvRow,
  type viewingSessionColumns,
} from '@reelhouse/contracts';

import type { SourceColumn, SourceTable } from './source-table.ts';

const int = { smallint: 32_767, integer: 2_147_483_647, bigint: Number.MAX_SAFE_INTEGER } as const;

const columns = [
  { name: 'session_id', type: 'uuid', nullable: false, rule: { kind: 'uuid' } },
  { name: 'user_id', type: 'uuid', nullable: false, rule: { kind: 'uuid' } },
  {
    name: 'content_id',
    type: 'text',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^(mov|ep)_[0-9a-z_]+$/ },
  },
  { name: 'started_at', type: 'timestamptz', nullable: false, rule: { kind: 'timestamp' } },
  { name: 'ended_at', type: 'timestamptz', nullable: false, rule: { kind: 'timestamp' } },
  {
    name: 'watch_duration_s',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 0, max: 21_600 },
  },
  {
    name: 'position_start_s',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 0, max: int.integer },
  },
  {
    name: 'position_end_s',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 0, max: int.integer },
  },
  {
    name: 'device_type',
    type: 'text',
    nullable: false,
    rule: { kind: 'enum', values: deviceTypes },
  },
  { name: 'device_os', type: 'text', nullable: false, rule: { kind: 'non_empty' } },
  {
    name: 'app_version',
    type: 'text',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^\d+\.\d+\.\d+$/ },
  },
  {
    name: 'country_code',
    type: 'char2',
    nullable: false,
    rule: { kind: 'pattern', pattern: /^[A-Z]{2}$/ },
  },
  { name: 'quality', type: 'text', nullable: false, rule: { kind: 'enum', values: qualities } },
  {
    name: 'avg_bitrate_kbps',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 100, max: 40_000 },
  },
  {
    name: 'bytes_transferred',
    type: 'bigint',
    nullable: false,
    rule: { kind: 'int', min: 0, max: int.bigint },
  },
  {
    name: 'startup_ms',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 0, max: 120_000 },
  },
  {
    name: 'rebuffer_count',
    type: 'smallint',
    nullable: false,
    rule: { kind: 'int', min: 0, max: int.smallint },
  },
  {
    name: 'rebuffer_ms',
    type: 'integer',
    nullable: false,
    rule: { kind: 'int', min: 0, max: int.integer },
  },
  {
    name: 'exit_reason',
    type: 'text',
    nullable: false,
    rule: { kind: 'enum', values: exitReasons },
  },
  { name: 'is_offline', type: 'boolean', nullable: false, rule: { kind: 'boolean' } },
  { name: 'updated_at', type: 'timestamptz', nullable: false, rule: { kind: 'timestamp' } },
] as const satisfies readonly (SourceColumn & { name: (typeof viewingSessionColumns)[number] })[];

const positionStart = columns.findIndex((column) => column.name === 'position_start_s');
const positionEnd = columns.findIndex((column) => column.name === 'position_end_s');

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
  crossFieldRule: (cells) => Number(cells[positionEnd]) >= Number(cells[positionStart]),
  schema: viewingSessionCsvRow,
};
