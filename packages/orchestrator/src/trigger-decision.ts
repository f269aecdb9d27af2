import type { TaskState } from '@reelhouse/warehouse';

import type { TriggerRule } from './task-spec.ts';

const finished: ReadonlySet<TaskState> = new Set<TaskState>([
  'success',
  'failed',
  'upstream_failed',
  'skipped',
  'interrupted',
]);
const failedLike: ReadonlySet<TaskState> = new Set<TaskState>([
  'failed',
  'upstream_failed',
  'interrupted',
]);

/** What a queued task does given its upstream states: wait, run, or end without running. */
export type TriggerDecision = 'wait' | 'run' | 'upstream_failed' | 'skipped';

/** Applies a trigger rule to the upstream states (Airflow's semantics: a skipped upstream skips an `all_success` task). */
export function triggerDecision(
  rule: TriggerRule,
  upstream: readonly TaskState[],
): TriggerDecision {
  if (!upstream.every((state) => finished.has(state))) return 'wait';
  switch (rule) {
    case 'all_done':
      return 'run';
    case 'none_failed':
      return upstream.some((state) => failedLike.has(state)) ? 'upstream_failed' : 'run';
    case 'all_success':
      if (upstream.some((state) => failedLike.has(state))) return 'upstream_failed';
      return upstream.some((state) => state === 'skipped') ? 'skipped' : 'run';
  }
}

/** True for states a task does not leave without being cleared. */
export function isFinished(state: TaskState): boolean {
  return finished.has(state);
}
