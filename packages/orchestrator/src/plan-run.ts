import { ReelhouseError } from '@reelhouse/core';
import type { TaskState } from '@reelhouse/warehouse';

import type { Dag } from './define-dag.ts';

export interface PlanRunOptions<Ids extends string> {
  /** Task states of the run being resumed; `undefined` for a fresh run. */
  readonly previous: ReadonlyMap<string, TaskState> | undefined;
  /** Clear this task and its downstream, then resume. */
  readonly from?: Ids;
  /** Run only this task; its upstream must have succeeded. */
  readonly only?: Ids;
}

/** The starting state of every task, and which tasks this run may execute. */
export interface RunPlan<Ids extends string> {
  readonly states: Map<Ids, TaskState>;
  readonly toRun: ReadonlySet<Ids>;
}

const done: ReadonlySet<TaskState> = new Set<TaskState>(['success', 'skipped']);

function withDownstream<Ids extends string>(dag: Dag<Ids>, start: Ids): Set<Ids> {
  const cleared = new Set<Ids>([start]);
  for (const id of dag.taskIds) if (dag.upstreamOf(id).some((u) => cleared.has(u))) cleared.add(id);
  return cleared;
}

/**
 * Decides what a run executes: a fresh run everything; a resume every task not already
 * `success`/`skipped`; `from` also clears a task and its downstream; `only` one task.
 */
export function planRun<Ids extends string>(
  dag: Dag<Ids>,
  options: PlanRunOptions<Ids>,
): RunPlan<Ids> {
  const previousState = (id: Ids): TaskState => options.previous?.get(id) ?? 'queued';
  if (options.only !== undefined) {
    const only = options.only;
    const blocking = dag.upstreamOf(only).filter((u) => previousState(u) !== 'success');
    if (blocking.length > 0) {
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `Cannot run only '${only}': upstream not successful: ${blocking.map((u) => `${u} (${previousState(u)})`).join(', ')}`,
        context: { task: only, blocking },
      });
    }
    const states = new Map(
      dag.taskIds.map((id) => [id, id === only ? 'queued' : previousState(id)]),
    );
    return { states, toRun: new Set([only]) };
  }
  const cleared = options.from === undefined ? new Set<Ids>() : withDownstream(dag, options.from);
  const states = new Map<Ids, TaskState>();
  const toRun = new Set<Ids>();
  for (const id of dag.taskIds) {
    const keep = options.previous !== undefined && !cleared.has(id) && done.has(previousState(id));
    states.set(id, keep ? previousState(id) : 'queued');
    if (!keep) toRun.add(id);
  }
  return { states, toRun };
}
