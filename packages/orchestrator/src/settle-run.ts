import { createKysely, type OpsSchema, type RunState, type TaskState } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { Dag } from './define-dag.ts';
import { reconnecting } from './reconnecting.ts';
import { isFinished, triggerDecision } from './trigger-decision.ts';

/**
 * After a task of an externally driven run ended: marks the queued tasks its outcome decides
 * (`upstream_failed`, `skipped`), as Airflow's scheduler does, and ends the run once every task
 * has. The run row is locked meanwhile, so of two tasks ending together the later one settles it.
 * Returns the run's state.
 */
export function settleRun<Ids extends string>(
  warehouse: pg.Pool,
  dag: Dag<Ids>,
  runId: string,
): Promise<RunState> {
  const db = createKysely<OpsSchema>(warehouse);
  return reconnecting(() =>
    db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('ops.dag_runs')
        .select('run_id')
        .where('run_id', '=', runId)
        .forUpdate()
        .execute();
      const rows = await trx
        .selectFrom('ops.task_runs')
        .select(['task_id', 'state'])
        .where('run_id', '=', runId)
        .execute();
      const states = new Map<string, TaskState>(rows.map((r) => [r.task_id, r.state]));
      for (const id of dag.taskIds) {
        if (states.get(id) !== 'queued') continue;
        const upstream = dag.upstreamOf(id).map((u) => states.get(u) ?? 'queued');
        const decision = triggerDecision(dag.tasks[id].triggerRule ?? 'all_success', upstream);
        if (decision !== 'upstream_failed' && decision !== 'skipped') continue;
        states.set(id, decision);
        await trx
          .updateTable('ops.task_runs')
          .set({ state: decision, finished_at: new Date() })
          .where('run_id', '=', runId)
          .where('task_id', '=', id)
          .execute();
      }
      const all = dag.taskIds.map((id) => states.get(id) ?? 'queued');
      if (!all.every(isFinished)) return 'running';
      const state: RunState = all.every((s) => s === 'success' || s === 'skipped')
        ? 'success'
        : all.includes('interrupted')
          ? 'interrupted'
          : 'failed';
      await trx
        .updateTable('ops.dag_runs')
        .set({ state, finished_at: new Date() })
        .where('run_id', '=', runId)
        .execute();
      return state;
    }),
  );
}
