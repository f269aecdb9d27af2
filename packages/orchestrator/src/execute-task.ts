import { setTimeout as sleep } from 'node:timers/promises';

import { classifyError, type Logger, type ReelhouseError } from '@reelhouse/core';
import type { TaskState } from '@reelhouse/warehouse';

import type { DagEvent } from './dag-event.ts';
import type { Dag } from './define-dag.ts';
import { retryDelay } from './retry-delay.ts';
import { runAttempt } from './run-attempt.ts';
import type { RunHistory } from './run-history.ts';
import type { TaskReport } from './task-spec.ts';

/** The final facts of one task in one run. */
export interface TaskRunResult {
  readonly state: TaskState;
  /** Attempts made by this call (earlier runs' attempts not counted). */
  readonly attempts: number;
  readonly durationMs: number | null;
  readonly rows: number | null;
  readonly error?: ReelhouseError;
  readonly report?: TaskReport;
  readonly skipReason?: string;
}

/** What every task execution of one run shares. */
export interface ExecutionScope<Ids extends string> {
  readonly dag: Dag<Ids>;
  readonly history: RunHistory;
  readonly runId: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly emit: (event: DagEvent) => void;
  readonly abortGraceMs: number;
  readonly random: () => number;
}

export interface ExecuteTaskOptions<Ids extends string> {
  readonly taskId: Ids;
  /** Attempts already recorded for this task in this run (a resumed task continues the count). */
  readonly previousAttempts: number;
  /** `false` makes a single attempt: an external scheduler (Airflow) owns the retries. */
  readonly retry: boolean;
}

const defaultRetryDelayMs = 1_000;
const defaultMaxRetryDelayMs = 60_000;

/**
 * Runs a task's attempts until success, a non-retryable failure, exhausted retries or an
 * interruption, recording every attempt and state change in `ops` as it happens.
 */
export async function executeTask<Ids extends string>(
  scope: ExecutionScope<Ids>,
  options: ExecuteTaskOptions<Ids>,
): Promise<TaskRunResult> {
  const { dag, history, runId } = scope;
  const { taskId } = options;
  const task = dag.tasks[taskId];
  const maxAttempts = options.retry ? (task.retries ?? 0) + 1 : 1;
  const startedAt = new Date();
  const elapsed = () => Date.now() - startedAt.getTime();
  const finish = async (
    state: TaskState,
    extra: { attempt: number; rows?: number | null; error?: ReelhouseError },
  ) => {
    const durationMs = elapsed();
    await history.setTaskState(runId, taskId, {
      state,
      finishedAt: new Date(),
      durationMs,
      rows: extra.rows ?? null,
      error: extra.error?.message ?? null,
    });
    scope.emit({
      type: 'task_state',
      runId,
      taskId,
      state,
      attempt: extra.attempt,
      at: new Date(),
      durationMs,
      rows: extra.rows ?? null,
      ...(extra.error
        ? {
            error: {
              code: extra.error.code,
              message: extra.error.message,
              retryable: extra.error.retryable,
            },
          }
        : {}),
    });
    return durationMs;
  };

  for (let index = 1; index <= maxAttempts; index += 1) {
    const attempt = options.previousAttempts + index;
    const logger = scope.logger.child({ task_id: taskId, attempt });
    const attemptStartedAt = new Date();
    await history.startAttempt({ runId, taskId, attempt, startedAt: attemptStartedAt });
    await history.setTaskState(runId, taskId, {
      state: 'running',
      tryNumber: attempt,
      ...(index === 1 ? { startedAt, finishedAt: null, error: null } : {}),
    });
    scope.emit({
      type: 'task_state',
      runId,
      taskId,
      state: 'running',
      attempt,
      at: attemptStartedAt,
    });
    logger.info({ max_attempts: options.previousAttempts + maxAttempts }, 'attempt started');

    const result = await runAttempt({
      task,
      context: { runId, taskId, attempt, logger, params: scope.params },
      runSignal: scope.signal,
      abortGraceMs: scope.abortGraceMs,
    });
    const attemptFinishedAt = new Date();
    const attemptMs = attemptFinishedAt.getTime() - attemptStartedAt.getTime();
    switch (result.kind) {
      case 'success': {
        const rows = result.report?.rowsWritten ?? null;
        await history.finishAttempt({
          runId,
          taskId,
          attempt,
          state: 'success',
          finishedAt: attemptFinishedAt,
        });
        await history.recordMaterializations({
          runId,
          taskId,
          materializations: result.report?.materializations ?? [],
        });
        const durationMs = await finish('success', { attempt, rows });
        logger.info({ duration_ms: attemptMs, rows }, 'task succeeded');
        return {
          state: 'success',
          attempts: index,
          durationMs,
          rows,
          ...(result.report ? { report: result.report } : {}),
        };
      }
      case 'skipped': {
        await history.finishAttempt({
          runId,
          taskId,
          attempt,
          state: 'skipped',
          finishedAt: attemptFinishedAt,
        });
        const durationMs = await finish('skipped', { attempt });
        logger.info({ reason: result.reason }, 'task skipped');
        return {
          state: 'skipped',
          attempts: index,
          durationMs,
          rows: null,
          skipReason: result.reason,
        };
      }
      case 'interrupted': {
        await history.finishAttempt({
          runId,
          taskId,
          attempt,
          state: 'interrupted',
          finishedAt: attemptFinishedAt,
          error: result.error,
        });
        const durationMs = await finish('interrupted', { attempt, error: result.error });
        logger.warn({ duration_ms: attemptMs }, 'attempt interrupted');
        return {
          state: 'interrupted',
          attempts: index,
          durationMs,
          rows: null,
          error: result.error,
        };
      }
      case 'failed': {
        const { error } = result;
        const retrying = error.retryable && index < maxAttempts && !scope.signal.aborted;
        const logFields = {
          duration_ms: attemptMs,
          error_code: error.code,
          retryable: error.retryable,
          err: error.message,
          context: error.context,
        };
        if (!retrying) {
          await history.finishAttempt({
            runId,
            taskId,
            attempt,
            state: 'failed',
            finishedAt: attemptFinishedAt,
            error,
          });
          const durationMs = await finish('failed', { attempt, error });
          logger.error(logFields, 'task failed');
          return { state: 'failed', attempts: index, durationMs, rows: null, error };
        }
        const delayMs = retryDelay({
          retry: index,
          baseMs: task.retryDelayMs ?? defaultRetryDelayMs,
          maxMs: task.maxRetryDelayMs ?? defaultMaxRetryDelayMs,
          random: scope.random,
        });
        await history.finishAttempt({
          runId,
          taskId,
          attempt,
          state: 'up_for_retry',
          finishedAt: attemptFinishedAt,
          error,
        });
        await history.setTaskState(runId, taskId, { state: 'up_for_retry', error: error.message });
        scope.emit({
          type: 'task_state',
          runId,
          taskId,
          state: 'up_for_retry',
          attempt,
          at: attemptFinishedAt,
          retryInMs: delayMs,
          error: { code: error.code, message: error.message, retryable: true },
        });
        logger.warn({ ...logFields, retry_in_ms: delayMs }, 'attempt failed, retrying');
        try {
          await sleep(delayMs, undefined, { signal: scope.signal });
        } catch (abortError) {
          const interrupted = classifyError(abortError, { task: taskId });
          const durationMs = await finish('interrupted', { attempt, error: interrupted });
          return {
            state: 'interrupted',
            attempts: index,
            durationMs,
            rows: null,
            error: interrupted,
          };
        }
        break;
      }
    }
  }
  // Unreachable: the last attempt either succeeds or is not retried.
  throw new Error(`task ${taskId}: attempts exhausted without a final state`);
}
