import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import type { RunState, TaskState } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { DagEvent } from './dag-event.ts';
import type { Dag } from './define-dag.ts';
import { ensureOpsTables } from './ensure-ops-tables.ts';
import { executeTask, type TaskRunResult } from './execute-task.ts';
import { acquireRunLock } from './run-lock.ts';
import { createRunHistory } from './run-history.ts';

export interface RunTaskOptions {
  readonly warehouse: pg.Pool;
  /** The external scheduler's run id (Airflow's `{{ run_id }}`); the run is created on first use. */
  readonly runId: string;
  readonly taskId: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DagEvent) => void;
  readonly abortGraceMs?: number;
  /** The run's logical date (`YYYY-MM-DD`), stored when the run is created. */
  readonly logicalDate?: string;
}

/**
 * The state of a run driven task by task from outside: done when every task is, failed or
 * interrupted with its last task, running otherwise (the scheduler has more to start).
 */
function externalRunState(states: readonly TaskState[], last: TaskState): RunState {
  if (states.every((s) => s === 'success' || s === 'skipped')) return 'success';
  if (last === 'failed' || last === 'interrupted') return last;
  return 'running';
}

/**
 * Makes exactly one attempt of one task under a run id, recorded in `ops` like any attempt: the
 * unit an external scheduler such as Airflow calls, owning retries itself. It holds the run lock
 * in shared mode, so such tasks run side by side but never beside a native DAG run.
 */
export async function runTask<Ids extends string>(
  dag: Dag<Ids>,
  options: RunTaskOptions,
): Promise<TaskRunResult> {
  const taskId = options.taskId as Ids;
  if (!(dag.taskIds as readonly string[]).includes(taskId)) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `Unknown task '${options.taskId}' (tasks: ${dag.taskIds.join(', ')})`,
      context: { task: options.taskId },
    });
  }
  const logger = options.logger ?? silentLogger;
  await ensureOpsTables(options.warehouse);
  const lock = await acquireRunLock(options.warehouse, { mode: 'shared', logger });
  try {
    const history = createRunHistory(options.warehouse);
    const params = options.params ?? {};
    await history.openRun({
      runId: options.runId,
      dagId: dag.dagId,
      params,
      taskIds: dag.taskIds,
      logicalDate: options.logicalDate,
    });
    const previous = (await history.taskRuns(options.runId)).find((t) => t.task_id === taskId);
    const result = await executeTask(
      {
        dag,
        history,
        runId: options.runId,
        params,
        logger: logger.child({ run_id: options.runId, dag_id: dag.dagId }),
        signal: options.signal ?? new AbortController().signal,
        emit: (event) => options.onEvent?.(event),
        abortGraceMs: options.abortGraceMs ?? 30_000,
        random: Math.random,
      },
      { taskId, previousAttempts: previous?.try_number ?? 0, retry: false },
    );
    const states = (await history.taskRuns(options.runId)).map((t) => t.state);
    const runState = externalRunState(states, result.state);
    if (runState === 'running')
      await history.openRun({
        runId: options.runId,
        dagId: dag.dagId,
        params,
        taskIds: dag.taskIds,
      });
    else await history.finishRun(options.runId, runState);
    return result;
  } finally {
    await lock.release();
  }
}
