import { ReelhouseError } from '@reelhouse/core';

import { findCycles } from './find-cycles.ts';
import type { TaskSpec } from './task-spec.ts';

/** The pool every task without a `pool` runs in. */
export const defaultPool = 'default_pool';

export interface DagSpec<Ids extends string> {
  readonly dagId: string;
  readonly description?: string;
  /** Slots per named pool (max concurrent tasks of that pool). */
  readonly pools?: Readonly<Record<string, number>>;
  readonly tasks: Readonly<Record<Ids, TaskSpec<Ids>>>;
}

/** A validated DAG: tasks in a topological order, with upstream and downstream edges resolved. */
export interface Dag<Ids extends string = string> {
  readonly dagId: string;
  readonly description: string | undefined;
  readonly pools: Readonly<Record<string, number>>;
  /** Task ids in a topological order (upstream first, ties in declaration order). */
  readonly taskIds: readonly Ids[];
  readonly tasks: Readonly<Record<Ids, TaskSpec<Ids>>>;
  upstreamOf(taskId: Ids): readonly Ids[];
  downstreamOf(taskId: Ids): readonly Ids[];
}

const taskIdPattern = /^[a-z][a-z0-9_]*$/;

function validate<Ids extends string>(spec: DagSpec<Ids>): string[] {
  const ids = Object.keys(spec.tasks) as Ids[];
  const known = new Set<string>(ids);
  const pools = spec.pools ?? {};
  const problems: string[] = [];
  if (ids.length === 0) problems.push('the DAG has no tasks');
  for (const id of ids) {
    const task: TaskSpec<Ids> = spec.tasks[id];
    if (!taskIdPattern.test(id))
      problems.push(`task '${id}': ids are snake_case (${taskIdPattern.source})`);
    for (const upstream of task.upstream ?? []) {
      if (!known.has(upstream)) problems.push(`task '${id}': unknown upstream task '${upstream}'`);
      if (upstream === id) problems.push(`task '${id}': depends on itself`);
    }
    if (task.pool !== undefined && task.pool !== defaultPool && pools[task.pool] === undefined) {
      problems.push(`task '${id}': unknown pool '${task.pool}'`);
    }
    if (task.retries !== undefined && (!Number.isInteger(task.retries) || task.retries < 0))
      problems.push(`task '${id}': retries must be a non-negative integer`);
    if (task.timeoutMs !== undefined && !(task.timeoutMs > 0))
      problems.push(`task '${id}': timeoutMs must be positive`);
  }
  for (const [pool, slots] of Object.entries(pools)) {
    if (!Number.isInteger(slots) || slots < 1)
      problems.push(`pool '${pool}': slots must be a positive integer`);
  }
  const edges = new Map(
    ids.map((id) => [id, (spec.tasks[id].upstream ?? []).filter((u) => known.has(u) && u !== id)]),
  );
  for (const cycle of findCycles(edges)) problems.push(`cycle: ${cycle.join(' -> ')}`);
  return problems;
}

function topologicalOrder<Ids extends string>(
  ids: readonly Ids[],
  upstreamOf: (id: Ids) => readonly Ids[],
): Ids[] {
  const placed = new Set<Ids>();
  const order: Ids[] = [];
  while (order.length < ids.length) {
    for (const id of ids) {
      if (!placed.has(id) && upstreamOf(id).every((u) => placed.has(u))) {
        placed.add(id);
        order.push(id);
      }
    }
  }
  return order;
}

/**
 * Validates and freezes a DAG at load time: an unknown upstream, a cycle, a bad id or an unknown
 * pool throws `ReelhouseError` `graph_invalid` listing every problem at once.
 */
export function defineDag<const Ids extends string>(spec: DagSpec<Ids>): Dag<Ids> {
  const problems = validate(spec);
  if (problems.length > 0) {
    throw new ReelhouseError({
      code: 'graph_invalid',
      message: `DAG '${spec.dagId}' is invalid:\n  ${problems.join('\n  ')}`,
      context: { dag: spec.dagId, problems },
    });
  }
  const ids = Object.keys(spec.tasks) as Ids[];
  const upstream = new Map<Ids, readonly Ids[]>(
    ids.map((id) => [id, [...new Set(spec.tasks[id].upstream ?? [])]]),
  );
  const downstream = new Map<Ids, Ids[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const u of upstream.get(id) ?? []) downstream.get(u)?.push(id);
  const upstreamOf = (id: Ids): readonly Ids[] => upstream.get(id) ?? [];
  return Object.freeze({
    dagId: spec.dagId,
    description: spec.description,
    pools: Object.freeze({ ...spec.pools }),
    taskIds: Object.freeze(topologicalOrder(ids, upstreamOf)),
    tasks: spec.tasks,
    upstreamOf,
    downstreamOf: (id: Ids): readonly Ids[] => downstream.get(id) ?? [],
  });
}
