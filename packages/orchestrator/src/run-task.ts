import { isDeepStrictEqual } from 'node:util';

import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import type { TaskState } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { DagEvent } from './dag-event.ts';
import type { Dag } from './define-dag.ts';
import { ensureOpsTables } from './ensure-ops-tables.ts';
import { executeTask, type TaskRunResult } from './execute-task.ts';
import { acquireRunLock, type AcquireRunLockOptions } from './run-lock.ts';
import { createRunHistory } from './run-history.ts';
import { settleRun } from './settle-run.ts';
import { triggerDecision } from './trigger-decision.ts';

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
  /** Run lock lease timing (tests shorten it). */
  readonly lease?: Pick<AcquireRunLockOptions, 'heartbeatMs' | 'leaseTtlMs'>;
  /** The run's logical date (`YYYY-MM-DD`), stored when the run is created. */
  readonly logicalDate?: string;
}

/** A task that did not run: its trigger rule is not met by its upstream states in the run. */
function notRun(
  state: TaskState,
  message: string,
  context: Record<string, unknown>,
): TaskRunResult {
  return {
    state,
    attempts: 0,
    durationMs: null,
    rows: null,
    error: new ReelhouseError({ code: 'invalid_input', retryable: false, message, context }),
  };
}

/**
 * Makes exactly one attempt of one task under a run id, recorded in `ops` like any attempt: the
 * unit an external scheduler such as Airflow calls, owning retries itself. The run is created on
 * first use; a task whose trigger rule its upstream states do not meet does not run. Once every
 * task has ended, whichever process ran it, the run ends. It holds the run lock in shared mode,
 * so such tasks run side by side but never beside a native DAG run.
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
  const { runId } = options;
  const logger = options.logger ?? silentLogger;
  await ensureOpsTables(options.warehouse);
  const lock = await acquireRunLock(options.warehouse, {
    mode: 'shared',
    logger,
    ...(options.lease ?? {}),
  });
  try {
    const history = createRunHistory(options.warehouse);
    const existing = await history.findRun(runId);
    if (existing !== undefined && existing.dag_id !== dag.dagId) {
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `Run ${runId} belongs to DAG '${existing.dag_id}', not '${dag.dagId}'`,
        context: { runId },
      });
    }
    if (
      existing !== undefined &&
      options.params !== undefined &&
      !isDeepStrictEqual(options.params, existing.params)
    ) {
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `Run ${runId} was started with params ${JSON.stringify(existing.params)}; its tasks must use the same params`,
        context: { runId, stored: existing.params, given: options.params },
      });
    }
    const params = existing?.params ?? options.params ?? {};
    const runs = existing === undefined ? [] : await history.taskRuns(runId);
    const states = new Map<string, TaskState>(runs.map((t) => [t.task_id, t.state]));
    const upstream = dag.upstreamOf(taskId);
    const rule = dag.tasks[taskId].triggerRule ?? 'all_success';
    const decision = triggerDecision(
      rule,
      upstream.map((u) => states.get(u) ?? 'queued'),
    );
    if (decision !== 'run') {
      const list = upstream.map((u) => `${u} (${states.get(u) ?? 'not run'})`).join(', ');
      const message = `Task ${taskId} of run ${runId} not run: its trigger rule ${rule} is not met by its upstream: ${list}`;
      if (decision === 'wait') return notRun('queued', message, { runId, task: taskId });
      // Decided by upstream outcomes, as Airflow's scheduler would mark it.
      await history.openRun({
        runId,
        dagId: dag.dagId,
        params,
        taskIds: dag.taskIds,
        logicalDate: options.logicalDate,
      });
      await history.setTaskState(runId, taskId, { state: decision, finishedAt: new Date() });
      await settleRun(options.warehouse, dag, runId);
      return decision === 'skipped'
        ? { state: 'skipped', attempts: 0, durationMs: null, rows: null, skipReason: message }
        : notRun('upstream_failed', message, { runId, task: taskId });
    }
    await lock.claim(runId);
    await history.openRun({
      runId,
      dagId: dag.dagId,
      params,
      taskIds: dag.taskIds,
      logicalDate: options.logicalDate,
    });
    const result = await executeTask(
      {
        dag,
        history,
        runId,
        params,
        logger: logger.child({ run_id: runId, dag_id: dag.dagId }),
        signal: AbortSignal.any([options.signal ?? new AbortController().signal, lock.lost]),
        emit: (event) => options.onEvent?.(event),
        abortGraceMs: options.abortGraceMs ?? 30_000,
        random: Math.random,
      },
      {
        taskId,
        previousAttempts: runs.find((t) => t.task_id === taskId)?.try_number ?? 0,
        retry: false,
      },
    );
    await settleRun(options.warehouse, dag, runId);
    return result;
  } finally {
    await lock.release();
  }
}
