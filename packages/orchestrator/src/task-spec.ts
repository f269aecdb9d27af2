import type { Logger, StepReport } from '@reelhouse/core';

/**
 * When a task may start, given its upstream tasks' final states (Airflow's trigger rules):
 * `all_success` needs every upstream `success`; `none_failed` also accepts `skipped` upstreams;
 * `all_done` runs once every upstream finished, whatever its state.
 */
export type TriggerRule = 'all_success' | 'none_failed' | 'all_done';

/** A table or file a task (re)built, recorded in `ops.materializations` (Dagster's asset materialization). */
export interface Materialization {
  readonly asset: string;
  readonly rows: number | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What a task may return: a step report, optionally naming the assets it materialized. */
export interface TaskReport extends StepReport {
  readonly materializations?: readonly Materialization[];
}

/** Returned by a task that decided it has nothing to do (Airflow's `AirflowSkipException`). */
export interface TaskSkip {
  readonly skipped: true;
  readonly reason: string;
}

/** Builds the value a task returns to end `skipped`. */
export function skipTask(reason: string): TaskSkip {
  return { skipped: true, reason };
}

export type TaskOutcome = TaskReport | TaskSkip | undefined;

/** What a running attempt receives. `signal` aborts on timeout or interruption: pass it to every driver call. */
export interface TaskContext<Ids extends string = string> {
  readonly runId: string;
  readonly taskId: Ids;
  /** 1-based, counted over the whole run (a resumed task continues the count). */
  readonly attempt: number;
  readonly signal: AbortSignal;
  /** Bound to run_id, task_id and attempt. */
  readonly logger: Logger;
  readonly params: Readonly<Record<string, unknown>>;
}

/** One task of a DAG: its dependencies, retry policy, timeout, pool, trigger rule and work. */
export interface TaskSpec<Ids extends string = string> {
  readonly upstream?: readonly NoInfer<Ids>[];
  /** Extra attempts after a retryable failure (default 0). */
  readonly retries?: number;
  /** Delay before the first retry; doubles per retry (default 1000 ms). */
  readonly retryDelayMs?: number;
  /** Cap of the retry delay (default 60 000 ms). */
  readonly maxRetryDelayMs?: number;
  /** Limit of one attempt; the attempt's signal aborts when it passes. */
  readonly timeoutMs?: number;
  /** Name of a pool declared in the DAG; tasks of one pool share its slots. */
  readonly pool?: string;
  readonly triggerRule?: TriggerRule;
  /** One sentence for `graph`, docs and the Airflow file. */
  readonly description?: string;
  run(context: TaskContext<Ids>): Promise<TaskOutcome | StepReport | void>;
}
