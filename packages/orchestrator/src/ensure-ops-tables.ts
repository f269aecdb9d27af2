import type pg from 'pg';

// Two processes may start at once: the DDL runs under a transaction-level advisory lock so that
// concurrent `create table if not exists` never race on the catalog.
const ddlLockKey = 'reelhouse.ops.ddl';

const taskStates = `'queued','running','success','failed','up_for_retry','upstream_failed','skipped','interrupted'`;

const statements = [
  `create schema if not exists ops`,
  `create table if not exists ops.dag_runs (
     run_id text primary key,
     dag_id text not null,
     state text not null check (state in ('running','success','failed','interrupted')),
     params jsonb not null default '{}',
     started_at timestamptz not null,
     finished_at timestamptz,
     host text not null,
     pid integer not null
   )`,
  `create index if not exists dag_runs_dag_started_idx on ops.dag_runs (dag_id, started_at desc)`,
  `create table if not exists ops.task_runs (
     run_id text not null references ops.dag_runs (run_id) on delete cascade,
     task_id text not null,
     state text not null check (state in (${taskStates})),
     try_number integer not null default 0,
     started_at timestamptz,
     finished_at timestamptz,
     duration_ms bigint,
     rows bigint,
     error text,
     primary key (run_id, task_id)
   )`,
  `create table if not exists ops.task_attempts (
     run_id text not null,
     task_id text not null,
     attempt integer not null check (attempt >= 1),
     state text not null check (state in (${taskStates})),
     started_at timestamptz not null,
     finished_at timestamptz,
     error_code text,
     error_message text,
     retryable boolean,
     primary key (run_id, task_id, attempt),
     foreign key (run_id, task_id) references ops.task_runs (run_id, task_id) on delete cascade
   )`,
  `create table if not exists ops.materializations (
     id bigint generated always as identity primary key,
     run_id text not null references ops.dag_runs (run_id) on delete cascade,
     task_id text not null,
     asset text not null,
     rows bigint,
     metadata jsonb not null default '{}',
     recorded_at timestamptz not null default now()
   )`,
  `create index if not exists materializations_asset_idx on ops.materializations (asset, recorded_at desc)`,
];

/** Creates schema `ops` and the run history tables (`dag_runs`, `task_runs`, `task_attempts`, `materializations`); rerunnable and safe to call concurrently. */
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
