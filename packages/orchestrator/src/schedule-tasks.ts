import type { TaskState } from '@reelhouse/warehouse';

import { defaultPool } from './define-dag.ts';
import { executeTask, type ExecutionScope, type TaskRunResult } from './execute-task.ts';
import { isFinished, triggerDecision } from './trigger-decision.ts';

export interface ScheduleOptions<Ids extends string> {
  readonly plan: { readonly states: Map<Ids, TaskState>; readonly toRun: ReadonlySet<Ids> };
  readonly attemptsSoFar: ReadonlyMap<string, number>;
  readonly maxActiveTasks: number;
}

/**
 * Starts queued tasks as their trigger rules allow and their pools have slots, until nothing more
 * can start; after an abort it only waits for running tasks. Updates `plan.states` in place.
 */
export async function scheduleTasks<Ids extends string>(
  scope: ExecutionScope<Ids>,
  options: ScheduleOptions<Ids>,
): Promise<Map<Ids, TaskRunResult>> {
  const { dag, history, runId } = scope;
  const { states, toRun } = options.plan;
  const running = new Map<Ids, Promise<void>>();
  const poolUse = new Map<string, number>();
  const results = new Map<Ids, TaskRunResult>();
  const poolOf = (id: Ids) => dag.tasks[id].pool ?? defaultPool;
  const slotsOf = (pool: string) => dag.pools[pool] ?? Number.POSITIVE_INFINITY;

  const start = (id: Ids) => {
    const pool = poolOf(id);
    poolUse.set(pool, (poolUse.get(pool) ?? 0) + 1);
    states.set(id, 'running');
    const execution = executeTask(scope, {
      taskId: id,
      previousAttempts: options.attemptsSoFar.get(id) ?? 0,
      retry: true,
    })
      .catch((error: unknown) => {
        // A history write failed: the task's outcome is unknown to ops, so the run must not pass.
        scope.logger.error(
          { task_id: id, err: error instanceof Error ? error.message : String(error) },
          'could not record task state',
        );
        return {
          state: 'failed',
          attempts: 0,
          durationMs: null,
          rows: null,
        } satisfies TaskRunResult;
      })
      .then((result) => {
        results.set(id, result);
        states.set(id, result.state);
        poolUse.set(pool, (poolUse.get(pool) ?? 1) - 1);
        running.delete(id);
      });
    running.set(id, execution);
  };

  for (;;) {
    if (!scope.signal.aborted) {
      for (const id of dag.taskIds) {
        if (!toRun.has(id) || states.get(id) !== 'queued') continue;
        const upstream = dag.upstreamOf(id).map((u) => states.get(u) ?? 'queued');
        const decision = triggerDecision(dag.tasks[id].triggerRule ?? 'all_success', upstream);
        if (decision === 'wait') continue;
        if (decision === 'upstream_failed' || decision === 'skipped') {
          states.set(id, decision);
          await history.setTaskState(runId, id, { state: decision, finishedAt: new Date() });
          scope.emit({
            type: 'task_state',
            runId,
            taskId: id,
            state: decision,
            attempt: 0,
            at: new Date(),
          });
          scope.logger.info({ task_id: id, state: decision }, `task ${decision}`);
          continue;
        }
        if (
          running.size >= options.maxActiveTasks ||
          (poolUse.get(poolOf(id)) ?? 0) >= slotsOf(poolOf(id))
        )
          continue;
        start(id);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  for (const id of toRun)
    if (!isFinished(states.get(id) ?? 'queued') && scope.signal.aborted)
      scope.logger.info({ task_id: id }, 'task not started: run interrupted');
  return results;
}
