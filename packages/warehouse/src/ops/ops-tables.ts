import type { Generated, Selectable } from 'kysely';

import type { BigIntNumber, DateText, Json, Timestamp } from '../column-types.ts';

/** Airflow's task states, plus `running`, `queued` and `interrupted` (a run stopped by a signal). */
export type TaskState =
  | 'queued'
  | 'running'
  | 'success'
  | 'failed'
  | 'up_for_retry'
  | 'upstream_failed'
  | 'skipped'
  | 'interrupted';
export type RunState = 'running' | 'success' | 'failed' | 'interrupted';
/** How a run was started (Airflow's run types): by hand, by `schedule`, or by `backfill`. */
export type RunType = 'manual' | 'scheduled' | 'backfill';

/** `ops.dag_runs`: one row per run of a DAG. */
export interface OpsDagRunsTable {
  run_id: string;
  dag_id: string;
  state: RunState;
  params: Json<Record<string, unknown>>;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  host: string;
  pid: number;
  /** The run's logical date (the day batch it processes), if it has one. */
  logical_date: DateText | null;
  run_type: RunType;
}

/** `ops.task_runs`: the current state of each task of a run. */
export interface OpsTaskRunsTable {
  run_id: string;
  task_id: string;
  state: TaskState;
  try_number: number;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_ms: BigIntNumber | null;
  rows: BigIntNumber | null;
  error: string | null;
}

/** `ops.task_attempts`: every attempt of every task, kept even when the task's own work rolled back. */
export interface OpsTaskAttemptsTable {
  run_id: string;
  task_id: string;
  attempt: number;
  state: TaskState;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error_code: string | null;
  error_message: string | null;
  retryable: boolean | null;
}

/** `ops.materializations`: a table a task (re)built, with its row count (Dagster's asset materialization). */
export interface OpsMaterializationsTable {
  id: Generated<BigIntNumber>;
  run_id: string;
  task_id: string;
  asset: string;
  rows: BigIntNumber | null;
  metadata: Json<Record<string, unknown>>;
  recorded_at: Generated<Timestamp>;
}

/** `ops.run_leases`: who holds the run lock, kept alive by a heartbeat from the holder's lock session. */
export interface OpsRunLeasesTable {
  /** One id per lock taken; a process re-taking its lost lock keeps it. */
  holder: string;
  mode: 'exclusive' | 'shared';
  run_id: string | null;
  host: string;
  pid: number;
  acquired_at: Timestamp;
  heartbeat_at: Timestamp;
}

/** `ops.model_intervals`: time ranges an incremental model has built, so gaps can be found and rebuilt. */
export interface OpsModelIntervalsTable {
  model: string;
  interval_start: Timestamp;
  interval_end: Timestamp;
  build_id: string;
  built_at: Timestamp;
}

export type OpsDagRun = Selectable<OpsDagRunsTable>;
export type OpsTaskRun = Selectable<OpsTaskRunsTable>;
export type OpsTaskAttempt = Selectable<OpsTaskAttemptsTable>;
export type OpsRunLease = Selectable<OpsRunLeasesTable>;
