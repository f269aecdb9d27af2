import type {
  OpsDagRunsTable,
  OpsMaterializationsTable,
  OpsRunLeasesTable,
  OpsTaskAttemptsTable,
  OpsTaskRunsTable,
} from '@reelhouse/warehouse';
import type pg from 'pg';

// Two processes may start at once: the DDL runs under a transaction-level advisory lock so that
// concurrent `create table if not exists` never race on the catalog.
const ddlLockKey = 'reelhouse.ops.ddl';

const taskStates = `'queued','running','success','failed','up_for_retry','upstream_failed','skipped','interrupted'`;

// One column map per table, keyed by the Kysely type's columns: tsc rejects a column missing on
// either side, so the types in @reelhouse/warehouse stay true to this DDL.
export const opsColumns = {
  dag_runs: {
    run_id: 'text primary key',
    dag_id: 'text not null',
    state: `text not null check (state in ('running','success','failed','interrupted'))`,
    params: `jsonb not null default '{}'`,
    started_at: 'timestamptz not null',
    finished_at: 'timestamptz',
    host: 'text not null',
    pid: 'integer not null',
    logical_date: 'date',
    run_type: `text not null default 'manual' check (run_type in ('manual','scheduled','backfill'))`,
  } satisfies Record<keyof OpsDagRunsTable, string>,
  task_runs: {
    run_id: 'text not null references ops.dag_runs (run_id) on delete cascade',
    task_id: 'text not null',
    state: `text not null check (state in (${taskStates}))`,
    try_number: 'integer not null default 0',
    started_at: 'timestamptz',
    finished_at: 'timestamptz',
    duration_ms: 'bigint',
    rows: 'bigint',
    error: 'text',
  } satisfies Record<keyof OpsTaskRunsTable, string>,
  task_attempts: {
    run_id: 'text not null',
    task_id: 'text not null',
    attempt: 'integer not null check (attempt >= 1)',
    state: `text not null check (state in (${taskStates}))`,
    started_at: 'timestamptz not null',
    finished_at: 'timestamptz',
    error_code: 'text',
    error_message: 'text',
    retryable: 'boolean',
  } satisfies Record<keyof OpsTaskAttemptsTable, string>,
  materializations: {
    id: 'bigint generated always as identity primary key',
    run_id: 'text not null references ops.dag_runs (run_id) on delete cascade',
    task_id: 'text not null',
    asset: 'text not null',
    rows: 'bigint',
    metadata: `jsonb not null default '{}'`,
    recorded_at: 'timestamptz not null default now()',
  } satisfies Record<keyof OpsMaterializationsTable, string>,
  run_leases: {
    holder: 'text primary key',
    mode: `text not null check (mode in ('exclusive','shared'))`,
    run_id: 'text',
    host: 'text not null',
    pid: 'integer not null',
    acquired_at: 'timestamptz not null default now()',
    heartbeat_at: 'timestamptz not null default now()',
  } satisfies Record<keyof OpsRunLeasesTable, string>,
};

const tableConstraints: Readonly<Record<keyof typeof opsColumns, readonly string[]>> = {
  dag_runs: [],
  task_runs: ['primary key (run_id, task_id)'],
  task_attempts: [
    'primary key (run_id, task_id, attempt)',
    'foreign key (run_id, task_id) references ops.task_runs (run_id, task_id) on delete cascade',
  ],
  materializations: [],
  run_leases: [],
};

function createTable(table: keyof typeof opsColumns): string {
  const columns = Object.entries(opsColumns[table]).map(([name, type]) => `${name} ${type}`);
  return `create table if not exists ops.${table} (${[...columns, ...tableConstraints[table]].join(', ')})`;
}

const statements = [
  'create schema if not exists ops',
  createTable('dag_runs'),
  // Tables made before logical dates existed gain their columns.
  'alter table ops.dag_runs add column if not exists logical_date date',
  `alter table ops.dag_runs add column if not exists run_type ${opsColumns.dag_runs.run_type}`,
  'create index if not exists dag_runs_dag_started_idx on ops.dag_runs (dag_id, started_at desc)',
  'create index if not exists dag_runs_dag_logical_date_idx on ops.dag_runs (dag_id, logical_date)',
  createTable('task_runs'),
  createTable('task_attempts'),
  createTable('materializations'),
  'create index if not exists materializations_asset_idx on ops.materializations (asset, recorded_at desc)',
  createTable('run_leases'),
];

/** Creates schema `ops` and the run history tables (`dag_runs`, `task_runs`, `task_attempts`, `materializations`) and the run lock's `run_leases`; rerunnable and safe to call concurrently. */
export async function ensureOpsTables(warehouse: pg.Pool): Promise<void> {
  const client = await warehouse.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [ddlLockKey]);
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
